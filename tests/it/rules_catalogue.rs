//! The rule catalogue matches DESIGN.md, registered property tests exist, coverage is computed
//! as `zoom-harness rules` prints it.

use std::path::PathBuf;

use zoom_harness::rules::{CATALOGUE, Coverage, PROPERTY_TESTS};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads ../shared/DESIGN.md; None (with a message) when absent, unless CI requires it.
fn design() -> Option<String> {
    let path = workspace().join("../shared/DESIGN.md");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) => {
            assert!(
                std::env::var("ZOOM_HARNESS_REQUIRE_SHARED").as_deref() != Ok("1"),
                "{} is required (ZOOM_HARNESS_REQUIRE_SHARED=1): {error}",
                path.display()
            );
            eprintln!("skipped: {} not found ({error})", path.display());
            None
        }
    }
}

#[test]
fn the_catalogue_has_exactly_the_rules_of_design_md() {
    let Some(design) = design() else { return };
    let mut in_design: Vec<String> = design
        .lines()
        .filter_map(|line| line.strip_prefix("- "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|word| {
            word.split_once('-').is_some_and(|(prefix, number)| {
                !prefix.is_empty()
                    && prefix.chars().all(|c| c.is_ascii_uppercase())
                    && number.chars().all(|c| c.is_ascii_digit())
                    && !number.is_empty()
            })
        })
        .map(str::to_string)
        .collect();
    in_design.sort();
    let mut ours: Vec<String> = CATALOGUE.iter().map(|r| r.id.to_string()).collect();
    ours.sort();
    assert_eq!(ours, in_design);
}

#[test]
fn registered_property_tests_exist() {
    let dir = workspace().join("tests/it");
    let mut sources = String::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let module = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            sources.push_str(&format!("\n//@module {module}\n{text}"));
        }
    }
    for test in PROPERTY_TESTS {
        let (module, function) = test.name.rsplit_once("::").expect("module::function");
        let module_start = sources
            .find(&format!("//@module {module}\n"))
            .unwrap_or_else(|| panic!("no tests/it/{module}.rs for {}", test.name));
        let module_text = &sources[module_start..];
        let module_text = &module_text[..module_text[1..]
            .find("//@module ")
            .map_or(module_text.len(), |i| i + 1)];
        assert!(
            module_text.contains(&format!("fn {function}")),
            "registered property test {} not found",
            test.name
        );
        for id in test.rules {
            assert!(
                CATALOGUE.iter().any(|r| r.id == *id),
                "{}: unknown rule {id}",
                test.name
            );
        }
    }
}

#[test]
fn coverage_lists_scenarios_and_flags_uncovered_rules() {
    let bot = vec!["BOT-2".to_string(), "BOT-3".to_string()];
    let auth = vec!["AUTH-2".to_string()];
    let coverage = Coverage::compute([
        ("bot/a.yaml", bot.as_slice()),
        ("auth/b.yaml", auth.as_slice()),
    ]);
    assert_eq!(coverage.rules["BOT-2"].scenarios, ["bot/a.yaml"]);
    let uncovered = coverage.uncovered();
    assert!(!uncovered.contains(&"BOT-2") && !uncovered.contains(&"AUTH-2"));
    let covered_by_properties: Vec<&str> = PROPERTY_TESTS
        .iter()
        .flat_map(|t| t.rules.iter().copied())
        .collect();
    if !covered_by_properties.contains(&"DIS-1") {
        assert!(uncovered.contains(&"DIS-1"));
        assert!(coverage.render().contains("DIS-1    UNCOVERED"));
    }
    assert!(coverage.render().contains("scenario  bot/a.yaml"));
}
