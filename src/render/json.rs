//! `--json`: version 1 of the shape documented in docs/status-json.md,
//! serialized straight from the report (keys in the documented order), and
//! the document a command run with `--json` prints when it fails.

use crate::compare::evidence::FieldVerdict;
use crate::model::inventory::{
    FieldKind, FieldRecord, GoResolverRef, PythonFunction, PythonLink, ServiceProgress,
};
use crate::model::stage::Stage;
use crate::render::findings::FindingJson;
use crate::render::report::{StatusReport, schema_site};
use serde::Serialize;
use std::collections::BTreeMap;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
pub struct FieldJson<'a> {
    #[serde(rename = "type")]
    type_name: &'a str,
    field: &'a str,
    kind: FieldKind,
    stage: Stage,
    color: Option<&'a str>,
    /// A canary's share of requests (`percent(N)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<f64>,
    /// The `@override` label, in the override dialect.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    service: Option<&'a str>,
    schema: Option<SiteJson<'a>>,
    python: Option<PythonJson<'a>>,
    go: Option<&'a GoResolverRef>,
    /// `null` unless measured or at side-by-side or migrated.
    evidence: Option<&'a FieldVerdict>,
}

impl FieldJson<'_> {
    /// Appends this field exactly as serde_json pretty-prints it `depth`
    /// levels deep, its keys written straight: nearly all of a status
    /// document is these keys, and serde_json's printer spent about 400
    /// instructions on each (indenting one level at a time, escaping each
    /// key). The values that are objects still go through serde_json.
    fn write_at(&self, out: &mut Vec<u8>, depth: usize) {
        const SPACES: &[u8; 32] = b"                                ";
        let indent = &SPACES[..2 * (depth + 1)];
        let key = |out: &mut Vec<u8>, first: bool, name: &str| {
            out.extend_from_slice(if first { b"{\n" } else { b",\n" });
            out.extend_from_slice(indent);
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\": ");
        };
        key(out, true, "type");
        write_str(out, self.type_name);
        key(out, false, "field");
        write_str(out, self.field);
        key(out, false, "kind");
        write_str(out, self.kind.as_str());
        key(out, false, "stage");
        write_str(out, self.stage.as_str());
        key(out, false, "color");
        write_option_str(out, self.color);
        if let Some(percent) = self.percent {
            key(out, false, "percent");
            write_pretty(out, &percent, depth + 1);
        }
        if let Some(label) = self.label {
            key(out, false, "label");
            write_str(out, label);
        }
        key(out, false, "service");
        write_option_str(out, self.service);
        key(out, false, "schema");
        write_pretty(out, &self.schema, depth + 1);
        key(out, false, "python");
        write_pretty(out, &self.python, depth + 1);
        key(out, false, "go");
        write_pretty(out, &self.go, depth + 1);
        key(out, false, "evidence");
        write_pretty(out, &self.evidence, depth + 1);
        out.push(b'\n');
        out.extend_from_slice(&indent[2..]);
        out.push(b'}');
    }
}

/// A JSON string, escaped as serde_json escapes it; most need nothing.
fn write_str(out: &mut Vec<u8>, value: &str) {
    if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(out, value).expect("a Vec takes any bytes");
    }
}

fn write_option_str(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(value) => write_str(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

#[derive(Serialize)]
struct SiteJson<'a> {
    file: &'a str,
    line: usize,
}

/// The resolver's `{file, line, end_line, function}`, then its `logic`.
#[derive(Serialize)]
struct PythonJson<'a> {
    #[serde(flatten)]
    function: &'a PythonFunction,
    logic: Option<&'a PythonFunction>,
}

#[derive(Serialize)]
struct ServiceJson<'a> {
    name: &'a str,
    by_stage: &'a BTreeMap<Stage, usize>,
    planned: usize,
    served_by_go: usize,
}

pub fn field<'a>(field: &'a FieldRecord, evidence: Option<&'a FieldVerdict>) -> FieldJson<'a> {
    let python = match &field.python {
        PythonLink::Resolver { function, logic } => Some(PythonJson {
            function,
            logic: logic.as_ref(),
        }),
        _ => None,
    };
    FieldJson {
        type_name: &field.coordinate.type_name,
        field: &field.coordinate.field_name,
        kind: field.kind,
        stage: field.stage,
        color: field.color.as_deref(),
        percent: field.percent.as_ref().map(|p| p.value()),
        label: field.label.as_deref(),
        service: field.service.as_deref(),
        schema: schema_site(field).map(|s| SiteJson {
            file: &s.file,
            line: s.line,
        }),
        python,
        go: field.go.as_ref(),
        evidence,
    }
}

fn service(s: &ServiceProgress) -> ServiceJson<'_> {
    ServiceJson {
        name: &s.name,
        by_stage: &s.by_stage,
        planned: s.planned,
        served_by_go: s.served_by_go,
    }
}

/// Fields rendered together on one core: enough to make a piece worth
/// handing to another thread.
const FIELDS_PER_PIECE: usize = 2048;

/// The status document: `version`, `fields`, `services`, `labels` (only
/// when some are in use: `@override` labels → how many fields carry each),
/// `problems`, pretty-printed as serde_json prints it. The fields are
/// nearly all of it (11 MB at 55,000 fields), so they are rendered in
/// pieces on every core and each value is indented to its depth.
pub fn render(report: &StatusReport) -> String {
    let document = Document::new(report);
    let mut out = Vec::with_capacity(document.byte_len());
    document.write_to(&mut out).expect("a Vec takes any bytes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The status document as the pieces it was rendered in: written end to
/// end, they are [`render`]'s text. `ferry status --json` writes them to
/// its output one after another rather than copying them into one 11 MB
/// string first (at 55,000 fields, fresh memory that the system must zero).
pub struct Document {
    parts: Vec<Vec<u8>>,
}

impl Document {
    pub fn new(report: &StatusReport) -> Document {
        let mut parts = vec![head("fields")];
        let pieces = array_pieces_with(&report.fields, FIELDS_PER_PIECE, 2, |out, at| {
            field(report.fields[at], report.evidence[at].as_deref()).write_at(out, 2)
        });
        let mut tail = array_end(pieces.is_empty());
        parts.extend(pieces);
        let services: Vec<ServiceJson> = report.services.iter().map(service).collect();
        write_entry(&mut tail, "services", &services);
        if !report.labels.is_empty() {
            write_entry(&mut tail, "labels", &report.labels);
        }
        let problems: Vec<FindingJson> = report.problems.iter().map(FindingJson::from).collect();
        write_entry(&mut tail, "problems", &problems);
        tail.extend_from_slice(b"\n}\n");
        parts.push(tail);
        Document { parts }
    }

    /// A document that is `parts` written end to end.
    pub(crate) fn from_parts(parts: Vec<Vec<u8>>) -> Document {
        Document { parts }
    }

    /// The document's length in bytes.
    pub fn byte_len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    /// Writes the document, piece after piece.
    pub fn write_to(&self, out: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
        self.parts.iter().try_for_each(|part| out.write_all(part))
    }
}

/// A document's start: `{`, its `version`, and the top-level array
/// `key` opened, its items to follow ([`array_pieces`]).
pub(crate) fn head(key: &str) -> Vec<u8> {
    let mut head = b"{\n  \"version\": ".to_vec();
    write_pretty(&mut head, &VERSION, 1);
    open_array(&mut head, key);
    head
}

/// Appends `,\n  "key": [` to a top-level object: an array whose items follow.
pub(crate) fn open_array(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b",\n  ");
    write_pretty(out, &key, 1);
    out.extend_from_slice(b": [");
}

/// The end of an array at the top level of a document, as serde_json
/// prints it: on a line of its own after items, `[]` when there are none.
pub(crate) fn array_end(empty: bool) -> Vec<u8> {
    let mut end = Vec::with_capacity(4096);
    end.extend_from_slice(if empty { b"]" } else { b"\n  ]" });
    end
}

/// `items` pretty-printed as the elements of an array `depth` levels deep
/// (each on its own line, after a comma but the first), in pieces of
/// `per_piece` items rendered on every core. `value` makes what is
/// printed of the item at an index. The pieces, end to end, are the
/// array's inside.
pub(crate) fn array_pieces<T: Sync, V: Serialize>(
    items: &[T],
    per_piece: usize,
    depth: usize,
    value: impl Fn(usize) -> V + Sync,
) -> Vec<Vec<u8>> {
    array_pieces_with(items, per_piece, depth, |out, at| {
        write_pretty(out, &value(at), depth)
    })
}

/// [`array_pieces`] with each item written by `write`, which appends the
/// item at an index as it prints `depth` levels deep.
fn array_pieces_with<T: Sync>(
    items: &[T],
    per_piece: usize,
    depth: usize,
    write: impl Fn(&mut Vec<u8>, usize) + Sync,
) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    let mut first = b"\n".to_vec();
    first.extend(std::iter::repeat_n(b' ', 2 * depth));
    let mut next = b",".to_vec();
    next.extend_from_slice(&first);
    items
        .par_chunks(per_piece)
        .enumerate()
        .map(|(chunk, items)| {
            let mut piece = Vec::new();
            for i in 0..items.len() {
                let opens = chunk == 0 && i == 0;
                piece.extend_from_slice(if opens { &first } else { &next });
                write(&mut piece, chunk * per_piece + i);
            }
            piece
        })
        .collect()
}

/// Appends `,\n  "key": value` to a top-level object.
pub(crate) fn write_entry(out: &mut Vec<u8>, key: &str, value: &impl Serialize) {
    out.extend_from_slice(b",\n  ");
    write_pretty(out, &key, 1);
    out.extend_from_slice(b": ");
    write_pretty(out, value, 1);
}

/// Appends `value` pretty-printed as it prints `depth` levels deep in a
/// larger document: the printer is first taken `depth` levels down.
pub(crate) fn write_pretty(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    use serde_json::ser::{Formatter, PrettyFormatter};
    let mut formatter = PrettyFormatter::new();
    for _ in 0..depth {
        formatter
            .begin_array(&mut std::io::sink())
            .expect("a sink takes anything");
    }
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    value
        .serialize(&mut serializer)
        .expect("the report serializes");
}

#[derive(Serialize)]
struct ErrorDocument<'a, D: Serialize> {
    version: u32,
    error: ErrorJson<'a, D>,
}

#[derive(Serialize)]
struct ErrorJson<'a, D: Serialize> {
    message: &'a str,
    #[serde(flatten)]
    details: D,
}

/// `{"version": 1, "error": {"message": …}}`: what a command run with
/// `--json` prints on stdout when it fails. `details` (a struct or map, or
/// `()` for none) adds its keys beside `message`, e.g. a batch's refusals.
pub fn error(message: &str, details: impl Serialize) -> String {
    let document = ErrorDocument {
        version: VERSION,
        error: ErrorJson { message, details },
    };
    serde_json::to_string_pretty(&document).expect("the error serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::evidence::Readiness;
    use crate::model::inventory::GoStatus;
    use serde_json::json;

    #[test]
    fn a_field_written_straight_is_what_serde_json_prints() {
        let names = ["Query", "a\"quoted\\name", "tab\there\u{1}", "é€😀", ""];
        let function = PythonFunction {
            file: "app/schema \"x\".py".into(),
            line: 3,
            end_line: 9,
            function: "Query.resolve_me".into(),
        };
        let logic = PythonFunction {
            function: "me_logic".into(),
            ..function.clone()
        };
        let go = GoResolverRef {
            file: "svc/graph/schema.resolvers.go".into(),
            line: 12,
            status: GoStatus::Stub,
        };
        let verdict = FieldVerdict {
            samples: 5,
            compared: 4,
            matches: 3,
            mismatches: 1,
            noisy: 1,
            go_errors: 0,
            source: None,
            from: Some("2026-12-01T10:00:00Z".into()),
            to: None,
            passes: false,
            stale: true,
            readiness: Readiness::NoEvidence,
            readiness_text: "not \"ready\"".into(),
            command: "ferry compare Query.me".into(),
        };
        let kinds = [
            FieldKind::Object,
            FieldKind::Query,
            FieldKind::Mutation,
            FieldKind::Subscription,
            FieldKind::Interface,
        ];
        let stages = Stage::ALL;
        for i in 0..512usize {
            let bit = |n: usize| i >> n & 1 == 1;
            let name = |n: usize| names[(i / 2 + n) % names.len()];
            let field = FieldJson {
                type_name: name(0),
                field: name(1),
                kind: kinds[i % kinds.len()],
                stage: stages[i % stages.len()],
                color: bit(0).then(|| name(2)),
                percent: bit(1).then_some(if bit(2) { 12.5 } else { 100.0 }),
                label: bit(2).then(|| name(3)),
                service: bit(3).then(|| name(4)),
                schema: bit(4).then(|| SiteJson {
                    file: name(2),
                    line: i,
                }),
                python: bit(5).then(|| PythonJson {
                    function: &function,
                    logic: bit(6).then_some(&logic),
                }),
                go: bit(7).then_some(&go),
                evidence: bit(8).then_some(&verdict),
            };
            for depth in [0, 2, 3] {
                let mut expected = Vec::new();
                write_pretty(&mut expected, &field, depth);
                let mut written = Vec::new();
                field.write_at(&mut written, depth);
                assert_eq!(
                    String::from_utf8(written).unwrap(),
                    String::from_utf8(expected).unwrap(),
                    "case {i}, depth {depth}"
                );
            }
        }
    }

    #[test]
    fn a_value_printed_at_its_depth_is_what_serde_json_prints_nested() {
        let inner = json!({"a": [1, {"b": "line\nbreak"}], "c": {}, "d": []});
        let mut out = b"{\n  \"x\": [\n    ".to_vec();
        write_pretty(&mut out, &inner, 2);
        out.extend_from_slice(b"\n  ]\n}");
        let whole = serde_json::to_string_pretty(&json!({ "x": [inner] })).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }

    #[test]
    fn the_error_document_carries_the_message_and_any_details_beside_it() {
        let plain: serde_json::Value = serde_json::from_str(&error("no such field", ())).unwrap();
        assert_eq!(
            plain,
            json!({"version": 1, "error": {"message": "no such field"}})
        );
        let refused = json!({"refused": [{"field": "Query.me", "reason": "…"}]});
        let detailed: serde_json::Value =
            serde_json::from_str(&error("1 field refused", &refused)).unwrap();
        assert_eq!(
            detailed,
            json!({"version": 1, "error": {
                "message": "1 field refused",
                "refused": [{"field": "Query.me", "reason": "…"}],
            }})
        );
    }
}
