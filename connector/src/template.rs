//! Topic and agenda templates: a small Mustache renderer with plain-text output and strict variables.
//!
//! Runbook inputs such as a meeting topic are written as Mustache over the incident context
//! (`{{Activity.title}} - Incident Bridge`). Two deliberate differences from the Mustache spec:
//!
//! * **Plain text.** A Zoom topic is not HTML, so `{{x}}` is never HTML-escaped: "A & B" stays
//!   "A & B". `{{{x}}}` and `{{&x}}` are accepted and mean the same as `{{x}}`.
//! * **Strict variables.** A name that resolves nowhere in the context stack (or a dotted name whose
//!   chain breaks) is [`TemplateError::UnknownVariable`] naming it, for interpolations and sections
//!   alike, instead of rendering as an empty string. A name that exists with value `null` is not
//!   unknown: it interpolates as "" and is falsey in a section.
//!
//! Supported: variables, dotted names, the implicit iterator `{{.}}`, sections over lists, objects
//! and scalars, inverted sections, comments, standalone-line trimming, and set-delimiter tags.
//! Not supported (a [`TemplateError::Syntax`] naming the position): partials and lambdas.
//! Checked against the official spec files in `tests/it/template_spec.rs`.

use serde_json::Value;
use thiserror::Error;

/// Why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    /// The template text is malformed; `line` and `column` are 1-based (column counts characters).
    #[error("template syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the offending tag.
        line: usize,
        /// 1-based column (in characters) of the offending tag.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A variable or section name that the context does not contain.
    #[error("unknown template variable `{name}`")]
    UnknownVariable {
        /// The name as written in the template, e.g. `Activity.titel`.
        name: String,
    },
    /// A variable that names a list or an object, which has no plain-text form.
    #[error("template variable `{name}` is a {kind}, not a text value")]
    NotText {
        /// The name as written in the template.
        name: String,
        /// "list" or "object".
        kind: &'static str,
    },
}

/// Renders `template` over `context` as plain text, failing on unknown variables.
///
/// ```
/// let ctx = serde_json::json!({"Activity": {"title": "DB down & slow", "id": 42}});
/// let topic = zoom_connector::template::render("{{Activity.title}} (#{{Activity.id}})", &ctx).unwrap();
/// assert_eq!(topic, "DB down & slow (#42)");
/// ```
pub fn render(template: &str, context: &Value) -> Result<String, TemplateError> {
    let nodes = parse(template)?;
    let mut out = String::with_capacity(template.len());
    let mut stack = vec![context];
    render_nodes(&nodes, &mut stack, &mut out)?;
    Ok(out)
}

/// Checks that `template` parses, without rendering it (for validating a runbook when it is saved).
pub fn check_syntax(template: &str) -> Result<(), TemplateError> {
    parse(template).map(|_| ())
}

#[derive(Debug)]
enum Node {
    Text(String),
    Variable {
        name: String,
    },
    Section {
        name: String,
        inverted: bool,
        children: Vec<Node>,
    },
}

/// A tag found while scanning, before sections are nested.
enum Token {
    Text(String),
    Variable {
        name: String,
    },
    Open {
        name: String,
        inverted: bool,
        at: usize,
    },
    Close {
        name: String,
        at: usize,
    },
}

fn parse(src: &str) -> Result<Vec<Node>, TemplateError> {
    let tokens = scan(src)?;
    let mut frames: Vec<(String, bool, usize, Vec<Node>)> = Vec::new();
    let mut current: Vec<Node> = Vec::new();
    for token in tokens {
        match token {
            Token::Text(t) => current.push(Node::Text(t)),
            Token::Variable { name } => current.push(Node::Variable { name }),
            Token::Open { name, inverted, at } => {
                frames.push((name, inverted, at, std::mem::take(&mut current)));
            }
            Token::Close { name, at } => {
                let Some((open, inverted, _, parent)) = frames.pop() else {
                    return Err(syntax(
                        src,
                        at,
                        format!("closing tag `{name}` has no open section"),
                    ));
                };
                if open != name {
                    return Err(syntax(
                        src,
                        at,
                        format!("closing tag `{name}` does not match open section `{open}`"),
                    ));
                }
                let children = std::mem::replace(&mut current, parent);
                current.push(Node::Section {
                    name: open,
                    inverted,
                    children,
                });
            }
        }
    }
    if let Some((name, _, at, _)) = frames.pop() {
        return Err(syntax(src, at, format!("section `{name}` is never closed")));
    }
    Ok(current)
}

/// Scans the template into tokens, applying the spec's standalone-line rule: a section, inverted,
/// closing, comment or set-delimiter tag alone on its line removes that whole line.
fn scan(src: &str) -> Result<Vec<Token>, TemplateError> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut open = String::from("{{");
    let mut close = String::from("}}");
    let mut pos = 0;

    while let Some(rel) = src[pos..].find(open.as_str()) {
        let tag_start = pos + rel;
        text.push_str(&src[pos..tag_start]);
        let inner_start = tag_start + open.len();
        // Triple mustache: `{{{name}}}` closes with `}` followed by the closing delimiter.
        let triple = src[inner_start..].starts_with('{');
        let closing = if triple {
            format!("}}{close}")
        } else {
            close.clone()
        };
        let Some(rel_end) = src[inner_start..].find(closing.as_str()) else {
            return Err(syntax(
                src,
                tag_start,
                format!("tag is not closed with `{closing}`"),
            ));
        };
        let inner_end = inner_start + rel_end;
        let tag_end = inner_end + closing.len();
        let inner = if triple {
            &src[inner_start + 1..inner_end]
        } else {
            &src[inner_start..inner_end]
        };
        let inner = inner.trim();
        let sigil = if triple {
            Some('&')
        } else {
            inner.chars().next()
        };

        let mut standalone_kind = true;
        let token = match sigil {
            Some('#') | Some('^') => Some(Token::Open {
                name: tag_name(src, tag_start, &inner[1..])?,
                inverted: sigil == Some('^'),
                at: tag_start,
            }),
            Some('/') => Some(Token::Close {
                name: tag_name(src, tag_start, &inner[1..])?,
                at: tag_start,
            }),
            Some('!') => None,
            Some('=') => {
                let Some(body) = inner.strip_prefix('=').and_then(|b| b.strip_suffix('=')) else {
                    return Err(syntax(
                        src,
                        tag_start,
                        "set-delimiter tag must end with `=`".into(),
                    ));
                };
                let mut parts = body.split_whitespace();
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(o), Some(c), None) if !o.contains('=') && !c.contains('=') => {
                        open = o.to_string();
                        close = c.to_string();
                    }
                    _ => {
                        return Err(syntax(
                            src,
                            tag_start,
                            "set-delimiter tag needs two delimiters without `=`, e.g. `{{=<% %>=}}`".into(),
                        ));
                    }
                }
                None
            }
            Some('>') => {
                return Err(syntax(
                    src,
                    tag_start,
                    "partials (`>`) are not supported".into(),
                ));
            }
            Some('<') | Some('$') => {
                return Err(syntax(
                    src,
                    tag_start,
                    "template inheritance is not supported".into(),
                ));
            }
            Some('&') => {
                standalone_kind = false;
                let body = if triple { inner } else { &inner[1..] };
                Some(Token::Variable {
                    name: tag_name(src, tag_start, body)?,
                })
            }
            _ => {
                standalone_kind = false;
                Some(Token::Variable {
                    name: tag_name(src, tag_start, inner)?,
                })
            }
        };

        pos = tag_end;
        if standalone_kind && let Some(line_end) = standalone(src, tag_start, tag_end) {
            // Drop the indentation before the tag (it is at the end of `text`) and the line break after.
            let indent = tag_start - line_start(src, tag_start);
            text.truncate(text.len() - indent);
            pos = line_end;
        }
        if let Some(token) = token {
            if !text.is_empty() {
                tokens.push(Token::Text(std::mem::take(&mut text)));
            }
            tokens.push(token);
        }
    }
    text.push_str(&src[pos..]);
    if !text.is_empty() {
        tokens.push(Token::Text(text));
    }
    Ok(tokens)
}

/// A tag's name, trimmed; names must be non-empty and contain no whitespace.
fn tag_name(src: &str, at: usize, raw: &str) -> Result<String, TemplateError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(syntax(src, at, "tag has no name".into()));
    }
    if name.chars().any(char::is_whitespace) {
        return Err(syntax(
            src,
            at,
            format!("tag name `{name}` contains whitespace"),
        ));
    }
    if name != "." && name.split('.').any(str::is_empty) {
        return Err(syntax(
            src,
            at,
            format!("tag name `{name}` has an empty part"),
        ));
    }
    Ok(name.to_string())
}

fn line_start(src: &str, at: usize) -> usize {
    src[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// If the tag spanning `start..end` is alone on its line (only spaces or tabs around it), returns
/// the position just after the line break that follows it (or the end of the template).
fn standalone(src: &str, start: usize, end: usize) -> Option<usize> {
    let before = &src[line_start(src, start)..start];
    if !before.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let rest = &src[end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let after = &rest[spaces..];
    if after.is_empty() {
        Some(src.len())
    } else if after.starts_with("\r\n") {
        Some(end + spaces + 2)
    } else if after.starts_with('\n') {
        Some(end + spaces + 1)
    } else {
        None
    }
}

fn syntax(src: &str, at: usize, message: String) -> TemplateError {
    let line = src[..at].matches('\n').count() + 1;
    let column = src[line_start(src, at)..at].chars().count() + 1;
    TemplateError::Syntax {
        line,
        column,
        message,
    }
}

fn render_nodes<'a>(
    nodes: &'a [Node],
    stack: &mut Vec<&'a Value>,
    out: &mut String,
) -> Result<(), TemplateError> {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Variable { name } => match lookup(stack, name)? {
                Value::Null => {}
                Value::String(s) => out.push_str(s),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => out.push_str(&n.to_string()),
                Value::Array(_) => {
                    return Err(TemplateError::NotText {
                        name: name.clone(),
                        kind: "list",
                    });
                }
                Value::Object(_) => {
                    return Err(TemplateError::NotText {
                        name: name.clone(),
                        kind: "object",
                    });
                }
            },
            Node::Section {
                name,
                inverted,
                children,
            } => {
                let value = lookup(stack, name)?;
                if *inverted {
                    if !truthy(value) {
                        render_nodes(children, stack, out)?;
                    }
                } else if let Value::Array(items) = value {
                    for item in items {
                        stack.push(item);
                        let result = render_nodes(children, stack, out);
                        stack.pop();
                        result?;
                    }
                } else if truthy(value) {
                    stack.push(value);
                    let result = render_nodes(children, stack, out);
                    stack.pop();
                    result?;
                }
            }
        }
    }
    Ok(())
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// Resolves a name against the context stack: the first part against the innermost context that
/// has it, the remaining parts inside that value only (the spec's dotted-name rule).
fn lookup<'a>(stack: &[&'a Value], name: &str) -> Result<&'a Value, TemplateError> {
    let unknown = || TemplateError::UnknownVariable {
        name: name.to_string(),
    };
    if name == "." {
        return stack.last().copied().ok_or_else(unknown);
    }
    let mut parts = name.split('.');
    let first = parts.next().ok_or_else(unknown)?;
    let mut value = stack
        .iter()
        .rev()
        .find_map(|ctx| ctx.as_object().and_then(|o| o.get(first)))
        .ok_or_else(unknown)?;
    for part in parts {
        value = value
            .as_object()
            .and_then(|o| o.get(part))
            .ok_or_else(unknown)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_text_and_strict() {
        let ctx = json!({"Activity": {"title": "A & B", "severity": "SEV1"}});
        assert_eq!(
            render("{{Activity.title}} <{{Activity.severity}}>", &ctx).unwrap(),
            "A & B <SEV1>"
        );
        assert_eq!(
            render("{{Activity.titel}}", &ctx),
            Err(TemplateError::UnknownVariable {
                name: "Activity.titel".into()
            })
        );
    }

    #[test]
    fn syntax_errors_name_the_position() {
        let err = render("ok\n  {{#a}}x", &json!({"a": true})).unwrap_err();
        assert_eq!(
            err,
            TemplateError::Syntax {
                line: 2,
                column: 3,
                message: "section `a` is never closed".into()
            }
        );
        let err = render("{{a", &json!({})).unwrap_err();
        assert!(
            matches!(
                err,
                TemplateError::Syntax {
                    line: 1,
                    column: 1,
                    ..
                }
            ),
            "{err}"
        );
        let err = render("{{#a}}{{/b}}", &json!({"a": 1})).unwrap_err();
        assert!(
            matches!(
                err,
                TemplateError::Syntax {
                    line: 1,
                    column: 7,
                    ..
                }
            ),
            "{err}"
        );
        let err = render("{{> p}}", &json!({})).unwrap_err();
        assert!(err.to_string().contains("partials"), "{err}");
    }

    #[test]
    fn null_is_known_and_empty() {
        assert_eq!(
            render("[{{x}}]{{^x}}none{{/x}}", &json!({"x": null})).unwrap(),
            "[]none"
        );
    }

    #[test]
    fn lists_and_objects_are_not_text() {
        assert_eq!(
            render("{{a}}", &json!({"a": [1]})),
            Err(TemplateError::NotText {
                name: "a".into(),
                kind: "list"
            })
        );
    }
}
