//! Fragments across the documents of a project: a document may spread a fragment that another
//! file defines (as graphql-config projects and client tooling allow). Each document is validated
//! with the foreign fragments it uses added, and their errors stay with the file that has them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use apollo_compiler::ast::{self, Definition, Selection};

use crate::base::span::span;

/// A fragment definition of some document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentDef {
    pub name: String,
    pub type_condition: String,
    /// The definition's text, alone.
    pub source: String,
    /// The file that defines it (`None` for an unsaved editor buffer).
    pub file: Option<PathBuf>,
    /// The name's byte range in that file.
    pub name_range: Range<usize>,
}

/// The fragment definitions of a parsed document.
pub fn definitions(text: &str, document: &ast::Document, file: Option<&Path>) -> Vec<FragmentDef> {
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::FragmentDefinition(f) => Some(f),
            _ => None,
        })
        .filter_map(|f| {
            let range = span(f.location());
            Some(FragmentDef {
                name: f.name.to_string(),
                type_condition: f.type_condition.to_string(),
                source: text.get(range)?.to_string(),
                file: file.map(Path::to_path_buf),
                name_range: span(f.name.location()),
            })
        })
        .collect()
}

/// The fragment definitions of a document's text (parsed here; syntax errors tolerated).
pub fn definitions_in(text: &str, file: Option<&Path>) -> Vec<FragmentDef> {
    if !text.contains("fragment") {
        return Vec::new();
    }
    let document = ast::Document::parse(text, "fragments.graphql").unwrap_or_else(|e| e.partial);
    definitions(text, &document, file)
}

/// The fragment definitions of a file: a GraphQL document, or the GraphQL literals of code
/// (their ranges in the code's offsets).
pub fn definitions_in_file(text: &str, file: &Path) -> Vec<FragmentDef> {
    let Some(language) = crate::surfaces::code::HostLanguage::of_path(file) else {
        return definitions_in(text, Some(file));
    };
    if !text.contains("fragment") {
        // Most code defines none: no need to parse it.
        return Vec::new();
    }
    crate::surfaces::code::extract(text, language)
        .iter()
        .flat_map(|region| {
            definitions_in(&region.text, Some(file))
                .into_iter()
                .map(|mut d| {
                    d.name_range = d.name_range.start + region.range.start
                        ..d.name_range.end + region.range.start;
                    d
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The names of the fragments a document spreads.
pub fn spread_names(document: &ast::Document) -> HashSet<String> {
    fn walk(selections: &[Selection], out: &mut HashSet<String>) {
        for selection in selections {
            match selection {
                Selection::Field(f) => walk(&f.selection_set, out),
                Selection::FragmentSpread(s) => {
                    out.insert(s.fragment_name.to_string());
                }
                Selection::InlineFragment(i) => walk(&i.selection_set, out),
            }
        }
    }
    let mut out = HashSet::new();
    for definition in &document.definitions {
        match definition {
            Definition::OperationDefinition(op) => walk(&op.selection_set, &mut out),
            Definition::FragmentDefinition(f) => walk(&f.selection_set, &mut out),
            _ => {}
        }
    }
    out
}

/// The fragments of a project's other documents, by name (the first definition of a name wins,
/// in the order given).
#[derive(Debug, Default, Clone)]
pub struct ProjectFragments {
    by_name: HashMap<String, Arc<FragmentDef>>,
}

impl ProjectFragments {
    pub fn new(definitions: impl IntoIterator<Item = Arc<FragmentDef>>) -> Self {
        let mut by_name = HashMap::new();
        for definition in definitions {
            by_name.entry(definition.name.clone()).or_insert(definition);
        }
        ProjectFragments { by_name }
    }

    /// Reads and indexes the fragments of `files` (unreadable files are skipped); in code
    /// files, those of their GraphQL literals.
    pub fn from_files(files: &[PathBuf]) -> Self {
        Self::new(files.iter().flat_map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            definitions_in_file(&text, path)
                .into_iter()
                .map(Arc::new)
                .collect::<Vec<_>>()
        }))
    }

    pub fn get(&self, name: &str) -> Option<&Arc<FragmentDef>> {
        self.by_name.get(name)
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<FragmentDef>> {
        self.by_name.values()
    }

    /// The same, without the definitions of `file` (the document being analysed defines its
    /// own).
    pub fn without_file(&self, file: Option<&Path>) -> ProjectFragments {
        let Some(file) = file else {
            return self.clone();
        };
        ProjectFragments {
            by_name: self
                .by_name
                .iter()
                .filter(|(_, d)| d.file.as_deref() != Some(file))
                .map(|(n, d)| (n.clone(), d.clone()))
                .collect(),
        }
    }

    /// The foreign fragments `document` needs: those it spreads without defining, and those
    /// they spread in turn.
    pub fn needed_by(&self, document: &ast::Document) -> Vec<Arc<FragmentDef>> {
        let local: HashSet<String> = document
            .definitions
            .iter()
            .filter_map(|d| match d {
                Definition::FragmentDefinition(f) => Some(f.name.to_string()),
                _ => None,
            })
            .collect();
        let mut wanted: Vec<String> = spread_names(document).into_iter().collect();
        let mut seen: HashSet<String> = local;
        let mut out = Vec::new();
        while let Some(name) = wanted.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(definition) = self.by_name.get(&name) else {
                continue;
            };
            let parsed = ast::Document::parse(definition.source.as_str(), "fragment.graphql")
                .unwrap_or_else(|e| e.partial);
            wanted.extend(spread_names(&parsed));
            out.push(definition.clone());
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::catalog::Code;
    use crate::checks::document::testing::library;
    use crate::checks::document::{analyze, analyze_in_project};

    fn project(files: &[(&str, &str)]) -> ProjectFragments {
        ProjectFragments::new(files.iter().flat_map(|(path, text)| {
            definitions_in(text, Some(Path::new(path)))
                .into_iter()
                .map(Arc::new)
        }))
    }

    fn codes(text: &str, fragments: &ProjectFragments) -> Vec<Code> {
        analyze_in_project(text, library(), Arc::default(), false, fragments)
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn a_fragment_of_another_file_is_known_and_its_errors_stay_there() {
        let other = project(&[(
            "/p/parts.graphql",
            "fragment BookParts on Book { title author { ...AuthorParts } }\n\
             fragment AuthorParts on Author { name nmae }\n\
             fragment Unused on Book { id }",
        )]);
        let query = "query Q { book(id: 1) { ...BookParts } }";
        assert_eq!(
            codes(query, &ProjectFragments::default()),
            [Code::UnknownFragment]
        );
        // Known, with the one it spreads in turn; `nmae` is the other file's problem, and the
        // fragments this document does not use are not "unused" here.
        assert!(
            codes(query, &other).is_empty(),
            "{:?}",
            codes(query, &other)
        );
        // Checked as used here: a fragment on Author cannot be spread in a Book.
        let wrong = "query Q { book(id: 1) { ...AuthorParts } }";
        assert_eq!(codes(wrong, &other), [Code::ImpossibleFragmentSpread]);
        // This document's own definition wins over the other file's.
        let own = "query Q { book(id: 1) { ...BookParts } }\nfragment BookParts on Book { pages }";
        assert!(codes(own, &other).is_empty());
        // The syntax tree kept for outline and hovers is this document's alone.
        let analysis = analyze_in_project(query, library(), Arc::default(), false, &other);
        assert_eq!(analysis.ast.definitions.len(), 1);
        assert_eq!(analyze(query, library()).ast.definitions.len(), 1);
    }

    #[test]
    fn a_file_of_fragments_alone_has_no_unused_fragments() {
        let parts = "fragment A on Book { id }\nfragment B on Author { name }";
        assert!(codes(parts, &ProjectFragments::default()).is_empty());
        // Beside an operation, an unused fragment is sent with it, and the server rejects it.
        let with_op = format!("{parts}\nquery Q {{ book(id: 1) {{ ...A }} }}");
        assert_eq!(
            codes(&with_op, &ProjectFragments::default()),
            [Code::UnusedFragment]
        );
    }

    #[test]
    fn without_file_drops_the_document_s_own_saved_definitions() {
        let all = project(&[
            ("/p/a.graphql", "fragment A on Book { id }"),
            ("/p/b.graphql", "fragment B on Book { id }"),
        ]);
        let rest = all.without_file(Some(Path::new("/p/a.graphql")));
        assert!(rest.get("A").is_none());
        assert_eq!(rest.get("B").unwrap().name_range, 9..10);
        assert_eq!(rest.get("B").unwrap().source, "fragment B on Book { id }");
    }
}
