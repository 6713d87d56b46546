//! Properties of the topic renderer beyond the spec files: any input gives a result or an error
//! (never a panic or a hang), text without tags is unchanged, and values come out verbatim
//! (plain text: no escaping of `& < > " '`).

use proptest::prelude::*;
use serde_json::json;
use zoom_connector::template::{TemplateError, render};

proptest! {
    #[test]
    fn any_template_renders_or_fails_cleanly(template in "[{}#^/!&=>.a-c \\n\\r\\t]{0,48}") {
        let context = json!({"a": "x", "b": [1, {"c": true}], "c": {"a": null}});
        match render(&template, &context) {
            Ok(_) | Err(TemplateError::UnknownVariable { .. }) | Err(TemplateError::NotText { .. }) => {}
            Err(TemplateError::Syntax { line, column, .. }) => {
                prop_assert!(line >= 1 && line <= template.split('\n').count(), "line {line}");
                prop_assert!(column >= 1, "column {column}");
            }
        }
    }

    #[test]
    fn text_without_tags_is_unchanged(text in "[^{]{0,64}") {
        prop_assert_eq!(render(&text, &json!({})).unwrap(), text);
    }

    #[test]
    fn values_come_out_verbatim(value in any::<String>()) {
        let context = json!({"Activity": {"title": value.clone()}});
        prop_assert_eq!(render("{{Activity.title}}", &context).unwrap(), value.clone());
        prop_assert_eq!(render("[{{{Activity.title}}}]", &context).unwrap(), format!("[{value}]"));
    }
}
