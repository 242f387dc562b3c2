//! Criterion benches of the core paths: schema load (SDL and introspection JSON), document
//! analysis by document size beside apollo-compiler's own parse and validate (the floor), the
//! server's per-edit work without I/O, position conversion, and cost by schema size.
//! Run: `cargo bench --bench core` (a filter narrows it: `cargo bench --bench core -- analysis`).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use apollo_compiler::ExecutableDocument;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use flowql::base::document::{Change, Document, Encoding, Position};
use flowql::schema::{self, introspection, SchemaSource};
use flowql::workspace::{check_document, Resolved, Workspace};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn github_sdl() -> String {
    std::fs::read_to_string(repository().join("tests/fixtures/github/schema.graphql")).unwrap()
}

/// GitHub operations (with a few mistakes), repeated under new names to about `lines` lines.
fn operations(lines: usize) -> String {
    let base =
        std::fs::read_to_string(repository().join("tests/fixtures/diagnostics/github.graphql"))
            .unwrap();
    let mut parts = Vec::new();
    let mut count = 0;
    while count < lines {
        let part = base
            .trim_end()
            .replace("query Repo", &format!("query Repo{}", parts.len()))
            .replace("query Search", &format!("query Search{}", parts.len()));
        count += part.lines().count() + 1;
        parts.push(part);
    }
    parts.join("\n") + "\n"
}

/// A project folder whose graphql-config names `sdl` as its schema, resolved for a document.
fn project(name: &str, sdl: &str) -> Resolved {
    let dir = std::env::temp_dir().join(format!("flowql-bench-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("schema.graphql"), sdl).unwrap();
    std::fs::write(dir.join(".graphqlrc.yml"), "schema: schema.graphql\n").unwrap();
    Workspace::new().for_file(Some(&dir.join("ops.graphql")))
}

fn schema_load(c: &mut Criterion) {
    let sdl = github_sdl();
    let built = schema::from_sdl(&[(&sdl, "schema.graphql")], SchemaSource::Files(Vec::new()));
    let json =
        introspection::execute(&built.schema, introspection::INTROSPECTION_QUERY).to_string();
    let mut group = c.benchmark_group("schema_load");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(sdl.len() as u64));
    group.bench_function("github_sdl", |b| {
        b.iter(|| {
            schema::from_sdl(
                &[(black_box(&sdl), "schema.graphql")],
                SchemaSource::Files(Vec::new()),
            )
        })
    });
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("github_introspection_json", |b| {
        b.iter(|| {
            let value: serde_json::Value = serde_json::from_str(black_box(&json)).unwrap();
            let sdl = introspection::to_sdl(&value).unwrap();
            schema::from_sdl(&[(&sdl, "schema.json")], SchemaSource::Files(Vec::new()))
        })
    });
    group.finish();
}

const DOCUMENT_LINES: [usize; 4] = [35, 140, 560, 2240];

fn analysis(c: &mut Criterion) {
    let resolved = project("analysis", &github_sdl());
    let mut group = c.benchmark_group("analysis");
    for lines in DOCUMENT_LINES {
        let text = operations(lines);
        group.throughput(Throughput::Bytes(text.len() as u64));
        // The floor: apollo-compiler alone, parsing and validating against the built schema.
        group.bench_with_input(
            BenchmarkId::new("apollo_compiler", lines),
            &text,
            |b, text| {
                b.iter(|| {
                    ExecutableDocument::parse_and_validate(
                        &resolved.schema.schema,
                        black_box(text),
                        "ops.graphql",
                    )
                    .is_ok()
                })
            },
        );
        // flowql's whole analysis: the same, plus narrowing, platform rules and payloads.
        group.bench_with_input(BenchmarkId::new("flowql", lines), &text, |b, text| {
            b.iter(|| check_document(black_box(text), &resolved).diagnostics.len())
        });
    }
    group.finish();
}

/// One alternating edit inside a field name, as a person types and deletes a character.
fn edit(i: usize, line: u32, column: u32) -> Change {
    if i % 2 == 0 {
        Change {
            range: Some((Position::new(line, column), Position::new(line, column))),
            text: "x".into(),
        }
    } else {
        Change {
            range: Some((Position::new(line, column), Position::new(line, column + 1))),
            text: String::new(),
        }
    }
}

fn edit_cycle(c: &mut Criterion) {
    let resolved = project("edit", &github_sdl());
    let text = operations(140);
    let line = text.lines().position(|l| l.trim() == "name").unwrap() as u32;
    let mut doc = Document::new(&text, 1);
    let mut version = 1;
    c.bench_function("edit_cycle/github_140_lines", |b| {
        b.iter(|| {
            version += 1;
            let change = edit(version as usize, line, 8);
            flowql::lsp::edit_cycle(&mut doc, version, &[change], &resolved).len()
        })
    });
    // The part of an edit that is resolution: which config, schema and flows apply (cached;
    // file stamps are checked).
    let file = std::env::temp_dir()
        .join(format!("flowql-bench-edit-{}", std::process::id()))
        .join("ops.graphql");
    let workspace = Workspace::new();
    c.bench_function("resolve/cached_project", |b| {
        b.iter(|| workspace.for_file(Some(&file)).strict)
    });
}

fn positions(c: &mut Criterion) {
    let text = operations(2240).replace("name", "nämé");
    let doc = Document::new(&text, 1);
    let offsets: Vec<usize> = (0..1000)
        .map(|i| i * (text.len() / 1000))
        .filter(|o| text.is_char_boundary(*o))
        .collect();
    let positions: Vec<Position> = offsets
        .iter()
        .map(|o| doc.offset_to_position(*o, Encoding::Utf16))
        .collect();
    let mut group = c.benchmark_group("positions_1000");
    for (name, encoding) in [("utf16", Encoding::Utf16), ("utf8", Encoding::Utf8)] {
        group.bench_function(BenchmarkId::new("offset_to_position", name), |b| {
            b.iter(|| {
                offsets
                    .iter()
                    .map(|o| doc.offset_to_position(*o, encoding).character)
                    .sum::<u32>()
            })
        });
        group.bench_function(BenchmarkId::new("position_to_offset", name), |b| {
            b.iter(|| {
                positions
                    .iter()
                    .filter_map(|p| doc.position_to_offset(*p, encoding))
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

/// A schema of `types` object types of ten fields each, linked in a chain from `Query`.
fn synthetic_schema(types: usize) -> String {
    let mut sdl = String::from("type Query {\n  root: T0\n}\n");
    for i in 0..types {
        sdl.push_str(&format!("\"\"\"Type {i}.\"\"\"\ntype T{i} {{\n"));
        for f in 0..9 {
            sdl.push_str(&format!("  f{f}(limit: Int, after: String): String\n"));
        }
        sdl.push_str(&format!("  next: T{}\n}}\n", (i + 1) % types));
    }
    sdl
}

fn schema_size(c: &mut Criterion) {
    let mut group = c.benchmark_group("schema_size");
    group.sample_size(20);
    // A 40-line operation walking the chain, the same against every schema.
    let mut query = String::from("query Walk {\n  root {\n");
    for depth in 0..12 {
        query.push_str(&format!(
            "{}f{}(limit: 3)\n{}next {{\n",
            "  ".repeat(depth + 2),
            depth % 9,
            "  ".repeat(depth + 2)
        ));
    }
    query.push_str(&format!("{}f0\n", "  ".repeat(14)));
    for depth in (0..14).rev() {
        query.push_str(&format!("{}}}\n", "  ".repeat(depth)));
    }
    for types in [100, 400, 1600, 6400] {
        let sdl = synthetic_schema(types);
        group.throughput(Throughput::Bytes(sdl.len() as u64));
        group.bench_with_input(BenchmarkId::new("build", types), &sdl, |b, sdl| {
            b.iter(|| {
                schema::from_sdl(
                    &[(black_box(sdl), "schema.graphql")],
                    SchemaSource::Files(Vec::new()),
                )
            })
        });
        let resolved = project(&format!("size-{types}"), &sdl);
        group.throughput(Throughput::Elements(1));
        assert!(check_document(&query, &resolved).diagnostics.is_empty());
        group.bench_with_input(
            BenchmarkId::new("analysis_40_lines", types),
            &query,
            |b, query| {
                b.iter(|| {
                    check_document(black_box(query), &resolved)
                        .diagnostics
                        .len()
                })
            },
        );
    }
    group.finish();
}

/// Requests made while writing, on a 1,000-line GitHub document: completion near its end
/// (the tokens before the cursor are read on every request), semantic tokens and formatting of
/// the whole text.
fn writing(c: &mut Criterion) {
    use flowql::features::completion::graphql::{complete, Options};
    use flowql::features::{format, highlight};
    let resolved = project("writing", &github_sdl());
    let text = operations(1000);
    // Inside the last selection set of the last operation.
    let offset = text.rfind('}').unwrap() - 2;
    let mut group = c.benchmark_group("writing_1000_lines");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let options = Options::default();
    assert!(!complete(&text, offset, &resolved.schema.schema, &options).is_empty());
    group.bench_function("completion", |b| {
        b.iter(|| complete(black_box(&text), offset, &resolved.schema.schema, &options).len())
    });
    group.bench_function("semantic_tokens", |b| {
        b.iter(|| highlight::tokens(black_box(&text)).len())
    });
    group.bench_function("format", |b| {
        b.iter(|| format::format(black_box(&text)).map(|t| t.len()))
    });
    group.finish();
}

/// A JavaScript file of about 2,000 lines with 40 operations in `gql` templates among ordinary
/// code: finding the literals with tree-sitter, then the whole analysis of the file.
fn embedded(c: &mut Criterion) {
    use flowql::checks::code::{analyze_host, HostInputs};
    use flowql::surfaces::code::{extract, HostLanguage};
    let resolved = project("embedded", &github_sdl());
    let operation =
        std::fs::read_to_string(repository().join("tests/fixtures/diagnostics/github.graphql"))
            .unwrap();
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "export function load{i}(client, owner) {{\n  const total = [1, 2, 3].map((n) => n * {i}).reduce((a, b) => a + b, 0);\n  console.log(`loading ${{owner}}: ${{total}}`);\n  return client.query({{ query: gql`\n{}\n`, variables: {{ owner, first: {i} }} }});\n}}\n\n",
            operation.replace("query Repo", &format!("query Repo{i}")).replace("query Search", &format!("query Search{i}"))
        ));
    }
    let lines = text.lines().count();
    let mut group = c.benchmark_group(format!("embedded_js_{lines}_lines"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    assert_eq!(extract(&text, HostLanguage::JavaScript).len(), 40);
    group.bench_function("extract", |b| {
        b.iter(|| extract(black_box(&text), HostLanguage::JavaScript).len())
    });
    let none = flowql::checks::graphql::fragments::ProjectFragments::default();
    let inputs = HostInputs {
        language: HostLanguage::JavaScript,
        schema: resolved.schema.clone(),
        flows: resolved.flows.clone(),
        strict: false,
        project: &none,
        previous: None,
    };
    group.bench_function("analyze", |b| {
        b.iter(|| analyze_host(black_box(&text), &inputs).diagnostics.len())
    });
    group.finish();
}

criterion_group!(
    benches,
    embedded,
    schema_load,
    analysis,
    edit_cycle,
    positions,
    schema_size,
    writing
);
criterion_main!(benches);
