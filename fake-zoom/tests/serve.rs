//! `fake-zoom serve` as a process: started as the README says (here on port 0), it prints its
//! URLs and credentials and answers Zoom's routes. These tests live in the fake-zoom package
//! because only a package's own tests get its binary (`CARGO_BIN_EXE_fake-zoom`).

use std::io::BufRead;

use serde_json::{Value, json};

/// Kills the child when the test ends, pass or fail.
struct Served(std::process::Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Start `fake-zoom serve --listen 127.0.0.1:0 ARGS`; returns the process, its base URL and
/// what it printed up to "serving".
async fn serve(args: &[&str]) -> (Served, String, Vec<String>) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fake-zoom"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let served = Served(child);
    let lines = tokio::task::spawn_blocking(move || {
        // Everything up to the "serving" line (printed once the server is ready). EOF (the
        // server exited) ends the loop too, and the assertion below then fails.
        let mut lines = Vec::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let done = line.starts_with("serving;");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    })
    .await
    .unwrap();
    assert!(
        lines.last().is_some_and(|l| l.starts_with("serving;")),
        "fake-zoom serve did not start: {lines:?}"
    );
    let base = lines[0].rsplit(' ').next().unwrap().to_string();
    (served, base, lines)
}

#[tokio::test]
async fn the_binary_serves_the_default_account_and_prints_its_credentials() {
    let (_served, base, lines) = serve(&[]).await;
    assert!(base.starts_with("http://127.0.0.1:"), "{lines:?}");
    let text = lines.join("\n");
    assert!(
        text.contains("client_id=fake-s2s-client-id client_secret=fake-s2s-client-secret"),
        "{text}"
    );
    assert!(
        text.contains("api_key=fake-api-key api_secret=fake-api-secret"),
        "{text}"
    );
    let client = reqwest::Client::new();
    let token: Value = client
        .post(format!(
            "{base}/oauth/token?grant_type=account_credentials&account_id=fake-account-1"
        ))
        .basic_auth("fake-s2s-client-id", Some("fake-s2s-client-secret"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let created = client
        .post(format!("{base}/v2/users/me/meetings"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .json(&json!({"topic": "SEV1 bridge"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

#[tokio::test]
async fn the_binary_reads_a_yaml_config_and_keeps_its_secrets_unprinted() {
    let dir = std::env::temp_dir().join(format!("fake-zoom-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("fake.yaml");
    std::fs::write(
        &path,
        "accounts:\n  - id: acct-y\n    users:\n      - {id: u1, email: one@example.com, role: owner}\n    apps:\n      - name: runbooks\n        auth: {kind: server_to_server_oauth, client_id: ycid, client_secret: ysecret-not-printed}\n        scopes: [user:read:user:admin]\n",
    )
    .unwrap();
    let (_served, base, lines) = serve(&["--config", path.to_str().unwrap()]).await;
    let text = lines.join("\n");
    assert!(
        text.contains("client_id=ycid") && !text.contains("ysecret-not-printed"),
        "{text}"
    );
    let token: Value = reqwest::Client::new()
        .post(format!("{base}/oauth/token"))
        .basic_auth("ycid", Some("ysecret-not-printed"))
        .form(&[
            ("grant_type", "account_credentials"),
            ("account_id", "acct-y"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(token["scope"], "user:read:user:admin");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_config_stops_the_binary_with_a_message() {
    let dir = std::env::temp_dir().join(format!("fake-zoom-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.yaml");
    std::fs::write(&path, "accounts:\n  - id: a\n    plann: pro\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fake-zoom"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("plann"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
