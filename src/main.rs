//! `zoom-harness`: run scenario files, list rule coverage, reproduce a scenario's state on a
//! standalone fake, and drive the connector from the command line.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use zoom_harness::report::{self, RunReport, Status};
use zoom_harness::runner::{self, LiveCredentials, Partition, ProgressStyle, RunOptions, Target};
use zoom_harness::{repro, rules, scenario};

/// Scenario runner, reports and CLI pairing a real Zoom connector with a stateful fake Zoom.
#[derive(Debug, Parser)]
#[command(name = "zoom-harness", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenario files (each against its own embedded fake, or real Zoom with --live).
    Run(RunArgs),
    /// List each catalogue rule with the scenarios and property tests that cover it.
    Rules {
        /// Scenario files or directories (default: scenarios/).
        paths: Vec<PathBuf>,
    },
    /// The real connector from the command line (against real Zoom or `fake-zoom serve`).
    Connector {
        #[command(subcommand)]
        command: zoom_harness::connector_cli::ConnectorCommand,
    },
    /// Run a scenario on a standalone fake on a port, stop at a step, and keep serving.
    Repro {
        /// The scenario file.
        scenario: PathBuf,
        /// Stop after this step (1-based number or label); default: after the last step.
        #[arg(long)]
        until: Option<String>,
        /// Port to listen on (127.0.0.1); 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Scenario files or directories (default: scenarios/).
    paths: Vec<PathBuf>,
    /// Run only scenarios whose id or name contains this (case-insensitive); repeat for any of
    /// several.
    #[arg(long)]
    filter: Vec<String>,
    /// Run one shard: `i/n` or `hash:i/n` (stable hash of the id), `count:i/n` (by position).
    #[arg(long)]
    partition: Option<Partition>,
    /// Scenarios run at once (default: number of cores).
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write an HTML report (sequence diagrams, failures) here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Run the connector steps against real Zoom (credentials from ZOOM_* environment
    /// variables); fake-only steps are skipped.
    #[arg(long)]
    live: bool,
    /// Wall-time limit per scenario, in seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(dispatch(cli.command)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

async fn dispatch(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Run(args) => run(args).await,
        Command::Rules { paths } => rules_command(paths),
        Command::Connector { command } => {
            zoom_harness::connector_cli::run(command).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Repro {
            scenario,
            until,
            port,
        } => {
            repro::run(&scenario, until.as_deref(), port).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths
    }
}

async fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let files = scenario::discover(&default_paths(args.paths))?;
    let target = if args.live {
        let credentials = LiveCredentials::from_env();
        match &credentials {
            Some(found) => eprintln!(
                "live mode: connector steps go to {} ({})",
                found.api_base_url,
                found.describe()
            ),
            None => eprintln!("{}", LiveCredentials::MISSING_MESSAGE),
        }
        Target::Live(credentials)
    } else {
        Target::Fake
    };
    let options = RunOptions {
        filters: args.filter,
        partition: args.partition,
        jobs: args.jobs.unwrap_or_else(runner::default_jobs),
        target,
        progress: ProgressStyle::detect(),
        scenario_timeout: std::time::Duration::from_secs(args.timeout),
    };
    let selected = runner::select_scenarios(runner::load_all(files), &options);
    if selected.is_empty() {
        eprintln!("no scenario matched the paths, --filter and --partition given");
    }
    let report = runner::run(selected, &options).await;
    print_failures(&report);
    println!("{}", report.summary_line());
    write_reports(&report, args.junit, args.json, args.html)?;
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_failures(report: &RunReport) {
    for scenario in report
        .scenarios
        .iter()
        .filter(|s| s.status == Status::Failed)
    {
        println!("\nFAILED {} ({})", scenario.id, scenario.name);
        if let Some(failure) = &scenario.failure {
            print!("{}", failure.render());
        }
    }
}

fn write_reports(
    report: &RunReport,
    junit: Option<PathBuf>,
    json: Option<PathBuf>,
    html: Option<PathBuf>,
) -> anyhow::Result<()> {
    if let Some(path) = junit {
        let xml = report::junit::render(report).context("rendering the JUnit report")?;
        std::fs::write(&path, xml).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = json {
        let text = report::json::render(report).context("rendering the JSON report")?;
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = html {
        std::fs::write(&path, report::html::render(report))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn rules_command(paths: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let files = scenario::discover(&default_paths(paths))?;
    let loaded = runner::load_all(files);
    let mut broken = 0;
    for file in &loaded {
        if let Err(error) = &file.scenario {
            eprintln!("{error}");
            broken += 1;
        }
    }
    let named: Vec<(String, Vec<String>)> = loaded
        .iter()
        .filter_map(|l| {
            l.scenario
                .as_ref()
                .ok()
                .map(|s| (l.file.id.clone(), s.covered_rules()))
        })
        .collect();
    let coverage =
        rules::Coverage::compute(named.iter().map(|(id, ids)| (id.as_str(), ids.as_slice())));
    print!("{}", coverage.render());
    Ok(if broken > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
