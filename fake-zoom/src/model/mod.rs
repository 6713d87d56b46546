//! The fake's state, with no HTTP in it: accounts and their users ([`account`]), meetings
//! ([`meeting`]), webinars ([`webinar`]), and the reading of request bodies ([`input`]).

pub mod account;
pub mod input;
pub mod meeting;
pub mod recording;
pub mod room;
pub mod webinar;
