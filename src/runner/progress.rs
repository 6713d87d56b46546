//! Progress output: an indicatif bar on a terminal, one plain line per scenario in CI (or when
//! stderr is not a terminal), nothing at all for library use.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle as BarStyle};

use crate::report::{ScenarioReport, Status};

/// Which progress output to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressStyle {
    /// A bar (terminal, `CI` unset).
    Bar,
    /// One line per finished scenario on stderr.
    Lines,
    /// Nothing.
    Quiet,
}

impl ProgressStyle {
    /// A bar on a terminal when `CI` is unset, plain lines otherwise.
    pub fn detect() -> Self {
        if std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
            ProgressStyle::Bar
        } else {
            ProgressStyle::Lines
        }
    }
}

/// Reports scenarios as they start and finish.
#[derive(Debug)]
pub struct Progress {
    style: ProgressStyle,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Progress over `total` scenarios.
    pub fn new(style: ProgressStyle, total: usize) -> Self {
        let bar = (style == ProgressStyle::Bar).then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(template) =
                BarStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {msg}")
            {
                bar.set_style(template);
            }
            bar
        });
        Progress { style, bar }
    }

    /// A scenario started.
    pub fn started(&self, id: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(id.to_string());
        }
    }

    /// A scenario finished.
    pub fn finished(&self, report: &ScenarioReport) {
        let word = match report.status {
            Status::Passed => "PASS",
            Status::Failed => "FAIL",
            Status::Skipped => "SKIP",
        };
        let line = format!(
            "{word} {} ({} ms){}",
            report.id,
            report.duration.as_millis(),
            report
                .skip_reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
        match (&self.bar, self.style) {
            (Some(bar), _) => {
                if report.status != Status::Passed {
                    bar.println(line);
                }
                bar.inc(1);
            }
            (None, ProgressStyle::Lines) => eprintln!("{line}"),
            _ => {}
        }
    }

    /// All scenarios finished.
    pub fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
