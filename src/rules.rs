//! The behaviour catalogue of `DESIGN.md` and its coverage.
//!
//! Every rule id lives here once. Scenarios name the ids they cover (`covers:` in the scenario
//! file, checked against this catalogue when the file is loaded); property tests are declared in
//! [`PROPERTY_TESTS`], a registry of test names and their rule ids (a test in `tests/it` checks
//! that each registered name exists). `zoom-harness rules` prints [`Coverage`].

use std::collections::BTreeMap;

/// One rule of the behaviour catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The rule id, e.g. `BOT-2`.
    pub id: &'static str,
    /// A one-line statement of the rule.
    pub title: &'static str,
}

/// The catalogue, in `DESIGN.md` order.
pub const CATALOGUE: &[Rule] = &[
    Rule {
        id: "AUTH-1",
        title: "S2S OAuth: account_credentials token, cached until shortly before expiry; a 401 code 124 refreshes once and retries once",
    },
    Rule {
        id: "AUTH-2",
        title: "API Key/Secret: HS256 JWT per request; meetings can be created; ZAK cannot be obtained (Zoom-style error)",
    },
    Rule {
        id: "AUTH-3",
        title: "Switching from API key to OAuth: the next runbook-created meeting is joined automatically and alerts stop",
    },
    Rule {
        id: "BOT-1",
        title: "OAuth: the bot gets a ZAK and joins at once, bypassing the waiting room; no alert",
    },
    Rule {
        id: "BOT-2",
        title: "API key: ZAK fails -> standard join -> waiting room -> alert \"ZAK token generation not supported\"",
    },
    Rule {
        id: "BOT-3",
        title: "A host or co-host admits the bot -> it joins -> the transcript is captured",
    },
    Rule {
        id: "BOT-4",
        title: "Nobody admits the bot before the meeting ends -> missed, no transcript, documentation incomplete",
    },
    Rule {
        id: "BOT-5",
        title: "Alert suppression: the ZAK alert can be suppressed; the join behaviour is unchanged",
    },
    Rule {
        id: "BOT-6",
        title: "Waiting room off, join-before-host rules, host absent: the bot's standard join follows Zoom's rules",
    },
    Rule {
        id: "SCOPE-1",
        title: "The seed's action -> scopes table is enforced by the fake and checked by the connector (connection test)",
    },
    Rule {
        id: "SCOPE-2",
        title: "Updating or ending a meeting the token's user does not host needs the admin scope",
    },
    Rule {
        id: "SCOPE-3",
        title: "Each troubleshooting row is reproduced with Zoom's status and body and mapped to the seed's fix",
    },
    Rule {
        id: "RUN-1",
        title: "Create Zoom Meeting: templated topic and agenda, duration, start time, settings; unknown variable is an error",
    },
    Rule {
        id: "RUN-2",
        title: "Executing a runbook appends results (meeting id, join link, errors with their fix) to the incident timeline",
    },
    Rule {
        id: "RUN-3",
        title: "Static bridges: a runbook that only shares a pre-configured bridge link needs no connector",
    },
    Rule {
        id: "MEET-1",
        title: "Meeting lifecycle, recurring meetings and occurrences, end, update settings, participants",
    },
    Rule {
        id: "REC-1",
        title: "Cloud auto-recording yields files after the meeting ends (recording.completed); local yields none; storage limits",
    },
    Rule {
        id: "DIS-1",
        title: "Uninstalling the app removes the connector and its secrets; later actions fail \"not configured\"",
    },
];

/// A property test in `tests/it` and the rules it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertyTest {
    /// The test's path inside the `it` test binary, e.g. `bot_properties::bot_join_sequences`.
    pub name: &'static str,
    /// The rule ids it covers.
    pub rules: &'static [&'static str],
}

/// The registry of property tests. Add a line when a property test lands; the test
/// `rules_catalogue::registered_property_tests_exist` checks the function is really there.
pub const PROPERTY_TESTS: &[PropertyTest] = &[
    PropertyTest {
        // Random joins, admissions, denials, sends back, removals, leaves, clock advances and
        // meeting ends in both auth modes: OAuth never waits and never alerts; API key never
        // holds a ZAK and alerts once per join attempt unless suppressed; transcript iff
        // admitted before the end.
        name: "bot_properties::bot_rules_hold_for_random_meetings",
        rules: &["BOT-1", "BOT-2", "BOT-3", "BOT-4", "BOT-5", "AUTH-2"],
    },
    PropertyTest {
        // Random room operations on the fake: no participant lost or counted twice; with the
        // waiting room on nobody gets in unadmitted but the host or a valid-ZAK bot; after an
        // end nobody of the instance is present.
        name: "live_properties::rooms_never_lose_or_double_count_and_admission_follows_the_rules",
        rules: &["BOT-1", "BOT-3", "MEET-1"],
    },
    PropertyTest {
        // Topic templates: any template renders or fails with an error, never a panic.
        name: "template_properties::any_template_renders_or_fails_cleanly",
        rules: &["RUN-1"],
    },
    PropertyTest {
        // Topics are plain text: incident values come out verbatim ("A & B" stays "A & B").
        name: "template_properties::values_come_out_verbatim",
        rules: &["RUN-1"],
    },
];

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    CATALOGUE.iter().find(|rule| rule.id == id)
}

/// What covers one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCoverage {
    /// Names of the scenarios that cover it.
    pub scenarios: Vec<String>,
    /// Names of the property tests that cover it.
    pub property_tests: Vec<String>,
}

impl RuleCoverage {
    /// True when neither a scenario nor a property test covers the rule.
    pub fn is_uncovered(&self) -> bool {
        self.scenarios.is_empty() && self.property_tests.is_empty()
    }
}

/// Coverage of the whole catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// Per rule id, in catalogue order of [`CATALOGUE`].
    pub rules: BTreeMap<&'static str, RuleCoverage>,
}

impl Coverage {
    /// Builds coverage from `(scenario name, covered rule ids)` pairs and [`PROPERTY_TESTS`].
    ///
    /// Unknown ids are ignored here: the scenario loader already rejects them.
    pub fn compute<'a>(scenarios: impl IntoIterator<Item = (&'a str, &'a [String])>) -> Self {
        let mut rules: BTreeMap<&'static str, RuleCoverage> = CATALOGUE
            .iter()
            .map(|rule| (rule.id, RuleCoverage::default()))
            .collect();
        for (name, ids) in scenarios {
            for id in ids {
                if let Some(entry) = rules.get_mut(id.as_str()) {
                    entry.scenarios.push(name.to_string());
                }
            }
        }
        for test in PROPERTY_TESTS {
            for id in test.rules {
                if let Some(entry) = rules.get_mut(id) {
                    entry.property_tests.push(test.name.to_string());
                }
            }
        }
        Coverage { rules }
    }

    /// Ids of rules nothing covers, in catalogue order.
    pub fn uncovered(&self) -> Vec<&'static str> {
        CATALOGUE
            .iter()
            .filter(|rule| {
                self.rules
                    .get(rule.id)
                    .is_none_or(RuleCoverage::is_uncovered)
            })
            .map(|rule| rule.id)
            .collect()
    }

    /// Renders the coverage table printed by `zoom-harness rules`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for rule in CATALOGUE {
            let coverage = self.rules.get(rule.id).cloned().unwrap_or_default();
            let marker = if coverage.is_uncovered() {
                "UNCOVERED"
            } else {
                "covered"
            };
            out.push_str(&format!("{:<8} {:<9} {}\n", rule.id, marker, rule.title));
            for scenario in &coverage.scenarios {
                out.push_str(&format!("           scenario  {scenario}\n"));
            }
            for test in &coverage.property_tests {
                out.push_str(&format!("           property  {test}\n"));
            }
        }
        let uncovered = self.uncovered();
        if uncovered.is_empty() {
            out.push_str(&format!("\nall {} rules covered\n", CATALOGUE.len()));
        } else {
            out.push_str(&format!(
                "\n{} of {} rules uncovered: {}\n",
                uncovered.len(),
                CATALOGUE.len(),
                uncovered.join(", ")
            ));
        }
        out
    }
}
