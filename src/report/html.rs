//! A self-contained HTML page (no network assets): a summary, then per scenario its steps, its
//! failure, and an inline-SVG sequence diagram of the exchanges between runner, connector, scribe
//! bot, Zoom (the fake) and the alert sink.

use std::fmt::Write as _;

use super::{Exchange, Lane, RunReport, ScenarioReport, Status};

const LANE_WIDTH: usize = 190;
const ROW_HEIGHT: usize = 26;
const HEADER_HEIGHT: usize = 40;
const STEP_GUTTER: usize = 150;

/// Renders the run as one HTML page.
pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>zoom-harness report</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n");
    let _ = writeln!(
        out,
        "<h1>zoom-harness: {}</h1>\n<p class=\"summary\">mode: {:?} &middot; started {}</p>",
        escape(&report.summary_line()),
        report.mode,
        escape(
            &report
                .started_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default()
        )
    );
    out.push_str("<table class=\"index\"><tr><th>status</th><th>scenario</th><th>covers</th><th>time</th></tr>\n");
    for (index, scenario) in report.scenarios.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr class=\"{}\"><td>{}</td><td><a href=\"#s{index}\">{}</a> <span class=\"id\">{}</span></td><td>{}</td><td>{} ms</td></tr>",
            status_class(scenario.status),
            status_class(scenario.status),
            escape(&scenario.name),
            escape(&scenario.id),
            escape(&scenario.covers.join(", ")),
            scenario.duration.as_millis()
        );
    }
    out.push_str("</table>\n");
    for (index, scenario) in report.scenarios.iter().enumerate() {
        render_scenario(&mut out, index, scenario);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn render_scenario(out: &mut String, index: usize, scenario: &ScenarioReport) {
    let open = if scenario.status == Status::Failed {
        " open"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "<details id=\"s{index}\" class=\"scenario {}\"{open}>\n<summary>{} &mdash; {} <span class=\"id\">{}</span></summary>",
        status_class(scenario.status),
        status_class(scenario.status),
        escape(&scenario.name),
        escape(&scenario.id)
    );
    let _ = writeln!(
        out,
        "<p>covers: {}</p>",
        escape(&scenario.covers.join(", "))
    );
    if let Some(reason) = &scenario.skip_reason {
        let _ = writeln!(out, "<p class=\"note\">skipped: {}</p>", escape(reason));
    }
    if let Some(failure) = &scenario.failure {
        let _ = writeln!(
            out,
            "<pre class=\"failure\">{}</pre>",
            escape(&failure.render())
        );
    }
    if !scenario.steps.is_empty() {
        out.push_str("<ol class=\"steps\">\n");
        for step in &scenario.steps {
            let note = step
                .note
                .as_ref()
                .map(|n| format!(" <span class=\"note\">({})</span>", escape(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<li class=\"{}\"><code>{}</code> {}{note}</li>",
                status_class(step.status),
                escape(&step.action),
                escape(&step.summary)
            );
        }
        out.push_str("</ol>\n");
    }
    if !scenario.exchanges.is_empty() {
        out.push_str(&sequence_diagram(scenario));
    }
    out.push_str("</details>\n");
}

/// The SVG sequence diagram: one vertical line per lane, one arrow per exchange, the step
/// number in the left gutter where a new step begins.
fn sequence_diagram(scenario: &ScenarioReport) -> String {
    let lanes = Lane::ALL;
    let width = STEP_GUTTER + LANE_WIDTH * lanes.len();
    let height = HEADER_HEIGHT + ROW_HEIGHT * (scenario.exchanges.len() + 1);
    let lane_x = |lane: Lane| {
        let position = lanes.iter().position(|l| *l == lane).unwrap_or(0);
        STEP_GUTTER + LANE_WIDTH * position + LANE_WIDTH / 2
    };
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg class=\"sequence\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"sequence diagram\">"
    );
    svg.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>\
<marker id=\"arrow-error\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#c0392b\"/></marker></defs>\n");
    for lane in lanes {
        let x = lane_x(lane);
        let _ = writeln!(
            svg,
            "<text x=\"{x}\" y=\"20\" class=\"lane\" text-anchor=\"middle\">{}</text><line x1=\"{x}\" y1=\"28\" x2=\"{x}\" y2=\"{height}\" class=\"lifeline\"/>",
            lane.title()
        );
    }
    let mut previous_step = usize::MAX;
    for (row, exchange) in scenario.exchanges.iter().enumerate() {
        let y = HEADER_HEIGHT + ROW_HEIGHT * (row + 1);
        if exchange.step != previous_step {
            previous_step = exchange.step;
            let summary = scenario
                .steps
                .iter()
                .find(|s| s.number == exchange.step)
                .map(|s| s.action.clone())
                .unwrap_or_else(|| "setup".into());
            let _ = writeln!(
                svg,
                "<line x1=\"0\" y1=\"{}\" x2=\"{width}\" y2=\"{}\" class=\"step-rule\"/><text x=\"4\" y=\"{}\" class=\"step\">{} {}</text>",
                y - ROW_HEIGHT + 8,
                y - ROW_HEIGHT + 8,
                y - 4,
                if exchange.step == 0 {
                    "setup".to_string()
                } else {
                    format!("step {}", exchange.step)
                },
                escape(&summary)
            );
        }
        svg.push_str(&arrow(
            exchange,
            lane_x(exchange.from),
            lane_x(exchange.to),
            y,
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

fn arrow(exchange: &Exchange, from_x: usize, to_x: usize, y: usize) -> String {
    let class = if exchange.is_error {
        "msg error"
    } else {
        "msg"
    };
    let marker = if exchange.is_error {
        "arrow-error"
    } else {
        "arrow"
    };
    let label = match &exchange.reply {
        Some(reply) => format!("{} \u{2192} {}", exchange.label, reply),
        None => exchange.label.clone(),
    };
    let label = truncate(&label, 70);
    if from_x == to_x {
        // A message to itself: a small loop to the right.
        return format!(
            "<path d=\"M{from_x},{} h30 v12 h-30\" class=\"{class}\" fill=\"none\" marker-end=\"url(#{marker})\"/><text x=\"{}\" y=\"{}\" class=\"label\">{}</text>\n",
            y - 8,
            from_x + 34,
            y,
            escape(&label)
        );
    }
    let text_x = from_x.min(to_x) + 6;
    format!(
        "<line x1=\"{from_x}\" y1=\"{y}\" x2=\"{to_x}\" y2=\"{y}\" class=\"{class}\" marker-end=\"url(#{marker})\"/><text x=\"{text_x}\" y=\"{}\" class=\"label\">{}</text>\n",
        y - 5,
        escape(&label)
    )
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('\u{2026}');
        cut
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Passed => "passed",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
    }
}

/// Escapes text for HTML and SVG.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}.id{color:#777;font-size:.85em;font-family:monospace}
table.index{border-collapse:collapse;margin-bottom:2em}table.index td,table.index th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}
tr.failed td:first-child,li.failed,details.failed>summary{color:#c0392b;font-weight:bold}
tr.passed td:first-child,details.passed>summary{color:#1e8449}
tr.skipped td:first-child,li.skipped,details.skipped>summary{color:#888}
details.scenario{border:1px solid #ddd;border-radius:4px;padding:.5em 1em;margin:.6em 0}
pre.failure{background:#fdecea;border-left:4px solid #c0392b;padding:.6em;white-space:pre-wrap}
.note{color:#777}ol.steps{font-size:.9em}
svg.sequence{font-family:monospace;font-size:11px;background:#fafafa;border:1px solid #eee;margin-top:.5em}
svg .lane{font-weight:bold;font-size:12px}svg .lifeline{stroke:#bbb;stroke-dasharray:4 3}
svg .msg{stroke:#333;stroke-width:1.2}svg .msg.error{stroke:#c0392b}
svg .step-rule{stroke:#e5e5e5}svg .step{fill:#555;font-size:10px}svg .label{fill:#222}
";
