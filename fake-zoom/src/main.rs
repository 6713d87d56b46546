//! `fake-zoom serve`: the fake Zoom as a standalone server.
//!
//! ```text
//! fake-zoom serve [--listen 127.0.0.1:8080] [--config fake.yaml]
//! ```
//! Without `--config` it serves one Business account with an owner and a member, a
//! Server-to-Server OAuth app holding every granular admin scope, and an API Key/Secret app,
//! and prints their credentials.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use fake_zoom::{AppAuth, FakeConfig, FakeZoom};

#[derive(Parser)]
#[command(name = "fake-zoom", version, about = "A stateful fake Zoom server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the fake on a port until Ctrl-C.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// YAML configuration (accounts, users, apps, scopes, clock).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve { listen, config } => serve(listen, config).await,
    }
}

async fn serve(listen: SocketAddr, config_path: Option<PathBuf>) -> anyhow::Result<()> {
    let (config, print_secrets) = match &config_path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            (FakeConfig::from_yaml(&text)?, false)
        }
        None => (FakeConfig::default_serve(), true),
    };
    let fake = FakeZoom::builder()
        .config(config.clone())
        .listen(listen)
        .start()
        .await?;
    println!("fake-zoom listening on {}", fake.base_url());
    println!("  OAuth token URL: {}", fake.oauth_token_url());
    println!("  API base URL:    {}", fake.api_base_url());
    println!("  control API:     {}/_fake/", fake.base_url());
    for account in &config.accounts {
        println!("account {}", account.id);
        for app in &account.apps {
            // Secrets are printed only for the built-in default configuration, whose
            // credentials exist for exactly this purpose.
            let secret = if print_secrets {
                app.auth_secret_for_print()
            } else {
                "(from your config)".into()
            };
            match &app.auth {
                AppAuth::ServerToServerOAuth { client_id, .. } => println!(
                    "  app {:<10} server_to_server_oauth  client_id={client_id} client_secret={secret}",
                    app.name
                ),
                AppAuth::ApiKey { api_key, .. } => println!(
                    "  app {:<10} api_key                api_key={api_key} api_secret={secret}",
                    app.name
                ),
                AppAuth::UserOAuth {
                    client_id, user_id, ..
                } => println!(
                    "  app {:<10} user_oauth             client_id={client_id} client_secret={secret} user={user_id}",
                    app.name
                ),
            }
        }
    }
    println!("serving; Ctrl-C to stop");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    fake.shutdown().await;
    Ok(())
}

trait PrintSecret {
    fn auth_secret_for_print(&self) -> String;
}

impl PrintSecret for fake_zoom::AppConfig {
    fn auth_secret_for_print(&self) -> String {
        match &self.auth {
            AppAuth::ServerToServerOAuth { client_secret, .. }
            | AppAuth::UserOAuth { client_secret, .. } => client_secret.clone(),
            AppAuth::ApiKey { api_secret, .. } => api_secret.clone(),
        }
    }
}
