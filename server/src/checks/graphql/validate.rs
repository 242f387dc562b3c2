//! GraphQL parsing and spec validation with apollo-compiler, and the mapping of its errors onto
//! the catalog's stable codes.

use apollo_compiler::ast;
use apollo_compiler::diagnostic::ToCliReport;
use apollo_compiler::executable::ExecutableDocument;
use apollo_compiler::parser::FileId;
use apollo_compiler::validation::{DiagnosticData, DiagnosticList, Valid};
use apollo_compiler::Schema;

use crate::base::catalog::Code;
use crate::base::diagnostic::Diagnostic;
use crate::checks::graphql::fragments::ProjectFragments;

/// The file name apollo-compiler records for the document; never shown to users.
const DOCUMENT_PATH: &str = "document.graphql";

/// What parsing and validating one document gives: the syntax tree (with whatever parsed),
/// the typed document (with whatever could be built) and every problem found.
pub struct Validated {
    pub ast: ast::Document,
    pub executable: ExecutableDocument,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `text` (recovering from syntax errors) and validates what parsed against `schema`.
pub fn parse_and_validate(text: &str, schema: &Valid<Schema>) -> Validated {
    parse_and_validate_with(text, schema, &ProjectFragments::default())
}

/// [`parse_and_validate`], with the fragments of the project's other documents that this one
/// spreads added for validation. Problems inside those fragments belong to their own files and
/// are not reported here; the returned syntax tree is this document's alone.
pub fn parse_and_validate_with(
    text: &str,
    schema: &Valid<Schema>,
    project: &ProjectFragments,
) -> Validated {
    let mut syntax_errors = None;
    let ast = match ast::Document::parse(text, DOCUMENT_PATH) {
        Ok(ast) => ast,
        Err(with_errors) => {
            syntax_errors = Some(with_errors.errors);
            with_errors.partial
        }
    };
    // The document's own file id: errors located anywhere else (a schema file) are not ours.
    let file = ast.sources.keys().last().copied();
    let mut diagnostics = Vec::new();
    if let Some(errors) = &syntax_errors {
        push_all(&mut diagnostics, errors, file, &[], text.len());
    }
    let foreign = project.needed_by(&ast);
    let mut augmented;
    let validated_ast = if foreign.is_empty() {
        &ast
    } else {
        augmented = ast.clone();
        for definition in &foreign {
            let path = definition.file.as_ref().map_or_else(
                || "fragment.graphql".to_string(),
                |p| p.display().to_string(),
            );
            let parsed = ast::Document::parse(definition.source.as_str(), path)
                .unwrap_or_else(|e| e.partial);
            let sources = std::sync::Arc::make_mut(&mut augmented.sources);
            for (id, source) in parsed.sources.iter() {
                sources.insert(*id, source.clone());
            }
            augmented.definitions.extend(parsed.definitions);
        }
        &augmented
    };
    let executable = match validated_ast.to_executable_validate(schema) {
        Ok(valid) => valid.into_inner(),
        Err(with_errors) => {
            let foreign_files: Vec<FileId> = validated_ast
                .sources
                .keys()
                .copied()
                .filter(|id| Some(*id) != file)
                .collect();
            push_all(
                &mut diagnostics,
                &with_errors.errors,
                file,
                &foreign_files,
                text.len(),
            );
            with_errors.partial
        }
    };
    Validated {
        ast,
        executable,
        diagnostics,
    }
}

fn push_all(
    out: &mut Vec<Diagnostic>,
    errors: &DiagnosticList,
    file: Option<FileId>,
    foreign_files: &[FileId],
    len: usize,
) {
    for diagnostic in errors.iter() {
        let error = diagnostic.error;
        let range = match error.location() {
            Some(span) if Some(span.file_id()) == file => {
                span.offset().min(len)..span.end_offset().min(len)
            }
            // Inside a fragment of another document: that document reports it.
            Some(span) if foreign_files.contains(&span.file_id()) => continue,
            // An error located in the schema, or nowhere: point at the start of the document.
            _ => 0..0,
        };
        let message = error.to_string();
        let code = code_for(error, &message);
        let mut message = clean_message(&message);
        if matches!(code, Code::UnknownType | Code::UnknownDirective) {
            // Types and directives come from the schema, not from the document.
            message = message.replace(" in this document", " in the schema");
        }
        out.push(Diagnostic::new(code, range, message));
    }
}

/// apollo-compiler's messages start with "syntax error: " for syntax errors; our code already
/// says that, so the prefix is dropped.
/// Token names such as `R_CURLY` are spelled as the characters users type.
fn clean_message(message: &str) -> String {
    const TOKENS: &[(&str, &str)] = &[
        ("L_CURLY", "`{`"),
        ("R_CURLY", "`}`"),
        ("L_PAREN", "`(`"),
        ("R_PAREN", "`)`"),
        ("L_BRACK", "`[`"),
        ("R_BRACK", "`]`"),
        ("COLON", "`:`"),
        ("BANG", "`!`"),
        ("EQ", "`=`"),
        ("DOLLAR", "`$`"),
        ("AT", "`@`"),
        ("SPREAD", "`...`"),
        ("PIPE", "`|`"),
        ("AMP", "`&`"),
    ];
    let mut text = message
        .strip_prefix("syntax error: ")
        .unwrap_or(message)
        .to_string();
    for (token, spelled) in TOKENS {
        for (before, after) in [("expected ", ""), ("got ", "")] {
            let from = format!("{before}{token}{after}");
            if text.contains(&from) {
                text = text.replace(&from, &format!("{before}{spelled}"));
            }
        }
    }
    if let Some(rest) = text
        .strip_prefix("expected ")
        .and_then(|r| r.split_once(", got "))
    {
        let (expected, got) = rest;
        let got = if got.starts_with('`') {
            got.to_string()
        } else {
            format!("`{got}`")
        };
        text = format!("expected {expected}, found {got}");
    }
    text
}

/// Maps an apollo-compiler error to a stable catalog code.
///
/// apollo-compiler has no public error kind, only the `#[doc(hidden)]` `unstable_error_name`.
/// Its names are pinned by the exact version in Cargo.toml and every family is covered by the
/// fixture tests, so a rename shows up as a failing test, not as a silent change of code.
pub fn code_for(error: &DiagnosticData, message: &str) -> Code {
    let Some(name) = error.unstable_error_name() else {
        return if message.starts_with("syntax error") {
            Code::SyntaxError
        } else if message.contains("limit") {
            Code::DocumentTooComplex
        } else {
            Code::InvalidOperation
        };
    };
    match name {
        "UndefinedField" => Code::UnknownField,
        "UndefinedArgument" => Code::UnknownArgument,
        "UndefinedDefinition"
        | "UndefinedTypeInNamedFragmentTypeCondition"
        | "UndefinedTypeInInlineFragmentTypeCondition" => Code::UnknownType,
        "UndefinedDirective" => Code::UnknownDirective,
        "UndefinedVariable" => Code::UndefinedVariable,
        "UndefinedFragment" => Code::UnknownFragment,
        "UndefinedEnumValue" => Code::UnknownEnumValue,
        "UndefinedInputValue" => Code::UnknownInputField,
        "RequiredArgument" => Code::MissingRequiredArgument,
        "RequiredField" => Code::MissingRequiredInputField,
        "UniqueVariable"
        | "UniqueArgument"
        | "UniqueInputValue"
        | "UniqueDirective"
        | "OperationNameCollision"
        | "FragmentNameCollision" => Code::DuplicateName,
        "AmbiguousAnonymousOperation" => Code::AnonymousOperationNotAlone,
        "UnusedVariable" => Code::UnusedVariable,
        "UnusedFragment" => Code::UnusedFragment,
        "VariableInputType" | "InputType" => Code::VariableNotInputType,
        "DisallowedVariableUsage" => Code::VariableTypeMismatch,
        "UnsupportedValueType" | "IntCoercionError" | "FloatCoercionError" => {
            Code::ValueTypeMismatch
        }
        "MissingSubselection" => Code::MissingSelectionSet,
        "SubselectionOnScalarType" | "SubselectionOnEnumType" => Code::SelectionOnLeafField,
        "InvalidFragmentTarget" => Code::InvalidFragmentType,
        "InvalidFragmentSpread" => Code::ImpossibleFragmentSpread,
        "RecursiveFragmentDefinition" => Code::FragmentCycle,
        "UnsupportedLocation" => Code::DirectiveNotAllowedHere,
        "UndefinedRootOperation" => Code::UnsupportedOperationType,
        "SubscriptionUsesMultipleFields"
        | "SubscriptionUsesIntrospection"
        | "SubscriptionUsesConditionalSelection" => Code::InvalidSubscription,
        "ConflictingFieldType" | "ConflictingFieldName" | "ConflictingFieldArgument" => {
            Code::FieldConflict
        }
        "TypeSystemDefinition" => Code::TypeDefinitionInOperation,
        "DuplicateDeferLabel"
        | "DeferLabelMustNotBeVariable"
        | "DeferOnRootMutationOrSubscriptionField"
        | "DeferInSubscriptionMustBeConditional" => Code::InvalidDefer,
        "RecursionError" | "RecursionLimitError" | "DeeplyNestedType" => Code::DocumentTooComplex,
        _ => Code::InvalidOperation,
    }
}
