//! `zoom-harness connector ...` against the embedded fake, with credentials from flags.

use clap::Parser;
use zoom_harness::connector_cli::{ConnectorCommand, run};

use crate::connector_support::{ACCOUNT, API_KEY, OWNER, S2S, fake, meetings_with_topic};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: ConnectorCommand,
}

fn parse(args: &[&str]) -> ConnectorCommand {
    Cli::try_parse_from(std::iter::once("connector").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{e}"))
        .command
}

#[tokio::test]
async fn test_and_create_meeting_with_s2s_flags() {
    let fake = fake().await;
    let api = fake.api_base_url();
    let oauth = fake.oauth_token_url();
    let connection = [
        "--account-id",
        ACCOUNT,
        "--client-id",
        S2S.0,
        "--client-secret",
        S2S.1,
        "--api-base-url",
        &api,
        "--oauth-url",
        &oauth,
    ];
    let mut args = vec!["test"];
    args.extend(connection);
    run(parse(&args)).await.unwrap();

    let mut args = vec!["create-meeting"];
    args.extend(connection);
    args.extend([
        "--host",
        OWNER,
        "--topic",
        "CLI bridge",
        "--duration",
        "30",
        "--waiting-room",
        "true",
        "--auto-recording",
        "cloud",
        "--json",
    ]);
    run(parse(&args)).await.unwrap();
    assert_eq!(meetings_with_topic(&fake, "CLI bridge"), 1);
}

#[tokio::test]
async fn api_key_flags_and_errors_name_their_fix() {
    let fake = fake().await;
    let api = fake.api_base_url();
    let args = [
        "create-meeting",
        "--api-key",
        API_KEY.0,
        "--api-secret",
        API_KEY.1,
        "--api-base-url",
        &api,
        "--host",
        "nobody@example.com",
        "--topic",
        "orphan",
    ];
    let err = run(parse(&args)).await.unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("User does not exist"), "{text}");
    assert!(text.contains("user:read"), "{text}");
}

#[tokio::test]
async fn bad_auto_recording_value_is_refused() {
    let fake = fake().await;
    let api = fake.api_base_url();
    let args = [
        "create-meeting",
        "--api-key",
        API_KEY.0,
        "--api-secret",
        API_KEY.1,
        "--api-base-url",
        &api,
        "--topic",
        "t",
        "--auto-recording",
        "sometimes",
    ];
    let err = run(parse(&args)).await.unwrap_err();
    assert!(err.to_string().contains("cloud, local or none"), "{err}");
}

/// The parsed arguments hold the client secret and the API secret as secrets: their `Debug`
/// (what a log line or a panic would show) never contains the values.
#[test]
fn debug_of_parsed_arguments_shows_no_secret() {
    for command in ["test", "create-meeting"] {
        let args = [
            command,
            "--account-id",
            ACCOUNT,
            "--client-id",
            S2S.0,
            "--client-secret",
            "client-secret-value",
            "--api-key",
            API_KEY.0,
            "--api-secret",
            "api-secret-value",
            "--topic",
            "t",
        ];
        let args = if command == "test" {
            &args[..args.len() - 2]
        } else {
            &args[..]
        };
        let shown = format!("{:?}", parse(args));
        assert!(
            !shown.contains("client-secret-value") && !shown.contains("api-secret-value"),
            "{shown}"
        );
        // The other fields are still shown, so the check above is not vacuous.
        assert!(
            shown.contains(S2S.0) && shown.contains(API_KEY.0),
            "{shown}"
        );
    }
}
