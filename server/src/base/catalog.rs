//! The error catalog: every code flowql can emit, with the HTTP status the request would get,
//! a title, the cause and the fix, restated from the platform's error reference.

use std::fmt;

/// How serious a diagnostic is; the same four levels the LSP and SARIF know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// Which part of the product reports a code; groups the generated documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A status the platform answers with, whatever caused it.
    Platform,
    /// The GraphQL text could not be parsed.
    Syntax,
    /// The operation breaks a rule of the GraphQL specification against the schema.
    Validation,
    /// The operation is valid GraphQL but the platform treats it differently.
    PlatformRule,
    /// flowql itself could not load something it needs.
    Setup,
    /// Fetching from the platform failed before an answer could be used.
    Connection,
}

impl Family {
    pub fn title(self) -> &'static str {
        match self {
            Family::Platform => "Platform responses",
            Family::Syntax => "Syntax",
            Family::Validation => "GraphQL validation",
            Family::PlatformRule => "Platform rules",
            Family::Setup => "Configuration and set-up",
            Family::Connection => "Connecting to the platform",
        }
    }
}

/// One catalog entry. Texts are our own words; `fix` says what to do.
#[derive(Debug)]
pub struct Entry {
    pub code: Code,
    pub family: Family,
    pub severity: Severity,
    /// The HTTP status the request would get, or `None` when nothing is sent (set-up problems).
    pub http_status: Option<u16>,
    pub title: &'static str,
    pub cause: &'static str,
    pub fix: &'static str,
}

macro_rules! catalog {
    ($( $variant:ident => $family:ident, $severity:ident, $status:expr,
        title: $title:expr, cause: $cause:expr, fix: $fix:expr; )*) => {
        /// A stable diagnostic code. Its UPPER_SNAKE spelling is what users see and search for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        /// Every entry, in the order the documentation lists them.
        pub static ENTRIES: &[Entry] = &[ $( Entry {
            code: Code::$variant,
            family: Family::$family,
            severity: Severity::$severity,
            http_status: $status,
            title: $title,
            cause: $cause,
            fix: $fix,
        }, )* ];
    };
}

catalog! {
    // --- What the platform answers (the status table and common errors of the reference) ---
    ResponseHasErrors => Platform, Warning, Some(200),
        title: "HTTP 200 with an `errors` array",
        cause: "GraphQL reports problems inside a successful HTTP response: the body can hold partial `data` next to `errors`.",
        fix: "Do not trust the status code alone. Read `response.errors` as well as `response.data`, and treat any error entry as a failure of the fields it names.";
    BadRequest => Platform, Error, Some(400),
        title: "Bad request",
        cause: "The query is not valid GraphQL, the variables do not fit their declared types, or the payload does not fit the Flow.",
        fix: "Check the operation against the project schema (flowql reports exactly where it breaks), make each variable match its declared type, and shape the payload like the Flow's input schema.";
    Unauthorized => Platform, Error, Some(401),
        title: "Unauthorized: API key missing, wrong or inactive",
        cause: "The request carried no API key, a key that does not exist, or a key that is not active yet.",
        fix: "Send the header `Authorization: Bearer <key>` with the key copied exactly from Studio (Settings, API Keys). A project key starts with `lt-`; an organisation key (`lt-org-`) is not accepted here. If you just created the key, redeploy the project so it takes effect.";
    Forbidden => Platform, Error, Some(403),
        title: "Forbidden: the key or project has no access",
        cause: "The `x-project-id` header names a project that does not own this Flow, or the key may not use this project.",
        fix: "Set `x-project-id` to the ID of the project that owns the Flow (project settings in Studio) and use a key created in that same project.";
    NotFound => Platform, Error, Some(404),
        title: "Not found: endpoint, project or Flow",
        cause: "The endpoint URL, the project ID or the workflow ID is wrong, or the Flow has not been deployed.",
        fix: "Copy the endpoint and project ID from the project settings and the workflow ID from the Flow's Connect (API) panel, deploy the Flow, and call the deployed Flow's ID.";
    RateLimited => Platform, Error, Some(429),
        title: "Too many requests",
        cause: "More requests arrived in a short time than the plan's limits allow.",
        fix: "Slow down: retry with exponential backoff, honour `Retry-After` when the server sends it, and stay inside the quotas of your plan (poll `checkStatus` at most once every 3 seconds).";
    ServerError => Platform, Error, Some(500),
        title: "Server error",
        cause: "The platform failed while handling a request that may well be correct.",
        fix: "Retry after a short wait. If it keeps failing, look at the platform's status page and contact support with the request ID.";
    ModelProviderError => Platform, Error, Some(502),
        title: "Model provider unavailable (502, 503 or 504)",
        cause: "A model provider that a node of the Flow calls failed or timed out; run logs show these as 502, 503 or 504.",
        fix: "Retry with backoff. If one provider keeps failing, check its status and the credentials configured for that node in Studio.";
    PayloadMismatch => Platform, Error, Some(400),
        title: "Payload does not match the Flow's input schema",
        cause: "The payload (or the variables feeding it) uses field names or types that the Flow's trigger does not declare. Run logs may show it as 422.",
        fix: "Open the Flow in Studio and read the input schema of its trigger node, then give the payload exactly those fields with those types.";
    FlowRunFailed => Platform, Error, Some(200),
        title: "The Flow ran and failed",
        cause: "The request was accepted, but a node inside the Flow raised an error (missing model credentials, an input the node cannot use, ...).",
        fix: "Open the run's trace in Studio's Logs to find the failing node, then check that node's configuration and the input it received. The Feedback API and Reports help you track such runs.";

    FlowNotFound => Platform, Error, Some(404),
        title: "No such Flow",
        cause: "The `workflowId` is not one of the project's Flows that flowql knows (from the configuration, local exports or the platform): mistyped, from another project, or deleted.",
        fix: "Copy the ID from the Flow's Connect (API) panel in Studio, and check that `projectId` is the project that owns the Flow.";
    FlowInactive => Platform, Error, Some(404),
        title: "The Flow is not deployed",
        cause: "The Flow exists but is inactive: the platform answers as if it did not exist.",
        fix: "Deploy the Flow in Studio, then call it by the deployed Flow's ID.";
    PayloadTypeMismatch => Platform, Error, Some(400),
        title: "Payload value of the wrong type",
        cause: "A value in the payload has another type than the Flow's input schema declares for it (a string where it wants an integer, ...). The run is rejected or the Flow misbehaves.",
        fix: "Send the type the input schema declares; hover the key to see it. A number written in quotes is a string: remove the quotes.";
    PayloadMissingField => Platform, Warning, Some(400),
        title: "Payload field missing",
        cause: "The Flow's input schema declares a field the payload does not send. Many Flows still run, with the field empty, which is rarely what you want.",
        fix: "Add the field with a value of its declared type, or mark it optional (`string?`) in the Flow's trigger if it really is.";
    PayloadUnknownField => Platform, Warning, Some(400),
        title: "Payload field the Flow does not declare",
        cause: "The payload sends a field that the Flow's input schema does not declare, often a misspelling of one it does; the Flow never reads it.",
        fix: "Rename it to the declared field (the message suggests the closest), or declare it in the Flow's trigger node in Studio.";
    PayloadConstraint => Platform, Error, Some(422),
        title: "Payload value breaks a constraint",
        cause: "A value breaks a rule of the Flow's input schema: too short, too long, not one of the allowed values, not matching the pattern, too many items, ...",
        fix: "Change the value to satisfy the rule named in the message; the run logs show such inputs as 422.";

    // --- Syntax ---
    SyntaxError => Syntax, Error, Some(400),
        title: "Syntax error",
        cause: "The text is not well-formed GraphQL: a token is missing, misplaced or unknown.",
        fix: "Fix the text at the marked position; often a brace, parenthesis or colon is missing, or a string is not closed.";
    JsonSyntaxError => Syntax, Error, Some(400),
        title: "Payload file is not valid JSON",
        cause: "The payload file does not parse as JSON: a missing comma or quote, a trailing comma, a comment.",
        fix: "Fix the JSON at the marked position; strict JSON has no comments and no trailing commas.";
    DocumentTooComplex => Syntax, Error, Some(400),
        title: "Document too deep or too large",
        cause: "The document nests deeper, or has more tokens, than a GraphQL parser accepts.",
        fix: "Split the operation, or replace deep repeated selections with fragments.";

    // --- GraphQL validation (every rule of the specification for executable documents) ---
    UnknownField => Validation, Error, Some(400),
        title: "Unknown field",
        cause: "The selected field does not exist on the type it is selected from.",
        fix: "Check the spelling against the schema (hover the parent field to see its type), or select the field through the right fragment.";
    UnknownArgument => Validation, Error, Some(400),
        title: "Unknown argument",
        cause: "The field or directive has no argument with this name.",
        fix: "Use one of the arguments the schema declares for this field, or remove the argument.";
    UnknownType => Validation, Error, Some(400),
        title: "Unknown type",
        cause: "A variable definition or type condition names a type the schema does not define.",
        fix: "Use a type the schema defines; the platform's payloads are typed `JSON`.";
    UnknownDirective => Validation, Error, Some(400),
        title: "Unknown directive",
        cause: "The directive is not defined by the schema.",
        fix: "Use a directive the schema defines (`@skip`, `@include` are always there) or remove it.";
    UnknownFragment => Validation, Error, Some(400),
        title: "Unknown fragment",
        cause: "The spread names a fragment that is not defined in the document sent.",
        fix: "Define the fragment in the same request, or fix the spelling of its name.";
    UnknownEnumValue => Validation, Error, Some(400),
        title: "Unknown enum value",
        cause: "The value is not one of the enum's values.",
        fix: "Use one of the values the enum declares (hover the argument to see its type).";
    UnknownInputField => Validation, Error, Some(400),
        title: "Unknown input field",
        cause: "The input object has no field with this name.",
        fix: "Use one of the fields the input type declares, or remove this one.";
    UndefinedVariable => Validation, Error, Some(400),
        title: "Undefined variable",
        cause: "The operation uses a variable it does not declare.",
        fix: "Declare the variable in the operation's header, for example `query Run($payload: JSON!)`, and send its value in `variables`.";
    UnusedVariable => Validation, Error, Some(400),
        title: "Unused variable",
        cause: "The operation declares a variable that none of its fields use; GraphQL servers reject such operations.",
        fix: "Remove the variable definition, or use it where it was meant to go.";
    UnusedFragment => Validation, Error, Some(400),
        title: "Unused fragment",
        cause: "The document defines a fragment that no operation spreads; GraphQL servers reject such documents.",
        fix: "Remove the fragment, or spread it where it was meant to go.";
    MissingRequiredArgument => Validation, Error, Some(400),
        title: "Missing required argument",
        cause: "A non-null argument without a default value was not given.",
        fix: "Add the argument; for a Flow call that is usually `workflowId` and `payload`.";
    MissingRequiredInputField => Validation, Error, Some(400),
        title: "Missing required input field",
        cause: "A non-null field of an input object was not given.",
        fix: "Add the field to the input object.";
    DuplicateName => Validation, Error, Some(400),
        title: "Name used twice",
        cause: "Two operations, fragments, variables, arguments, input fields or non-repeatable directives share one name where GraphQL needs them unique.",
        fix: "Rename or remove one of them.";
    AnonymousOperationNotAlone => Validation, Error, Some(400),
        title: "Anonymous operation next to others",
        cause: "A document with more than one operation has an operation without a name.",
        fix: "Give every operation a name, or send one operation per request.";
    ValueTypeMismatch => Validation, Error, Some(400),
        title: "Value of the wrong type",
        cause: "A literal value does not fit the type its position expects (a string for an Int, a number out of range, ...).",
        fix: "Write a value of the expected type; hover the argument to see it.";
    VariableTypeMismatch => Validation, Error, Some(400),
        title: "Variable type does not fit its position",
        cause: "A variable is used where its declared type is not allowed (a nullable variable for a non-null argument, a String for an Int, ...).",
        fix: "Change the variable's declared type to the one the position needs (hover the argument), for example `String!` instead of `String`.";
    VariableNotInputType => Validation, Error, Some(400),
        title: "Variable of an output type",
        cause: "Variables can only have scalar, enum or input object types, not object, interface or union types.",
        fix: "Declare the variable with an input type such as `JSON`, `String` or an input object.";
    VariableValueMissing => Validation, Error, Some(400),
        title: "Required variable not sent",
        cause: "The operation declares a non-null variable without a default, and the variables sent with it have no value for it.",
        fix: "Add the variable to the `variables` object sent with the query, or give it a default in the operation.";
    VariableValueInvalid => Validation, Error, Some(400),
        title: "Variable value of the wrong type",
        cause: "A value in `variables` cannot be read as the type the operation declares for it (a string for an Int, null for a non-null type, a value the enum does not have, ...).",
        fix: "Send a value of the declared type, or change the declaration in the operation.";
    VariableNotDeclared => Validation, Warning, Some(200),
        title: "Variable sent but not declared",
        cause: "`variables` has a key that the operation declares no variable for; the server ignores it, so whatever it was meant to do does not happen.",
        fix: "Declare it in the operation's header (for example `$prompt: String`) and use it, or remove it from `variables`.";
    MissingSelectionSet => Validation, Error, Some(400),
        title: "Missing selection set",
        cause: "A field of an object type must say which of its fields to return.",
        fix: "Add a selection set, for example `executeWorkflow(...) { status result }`.";
    SelectionOnLeafField => Validation, Error, Some(400),
        title: "Selection on a scalar or enum",
        cause: "A field that returns a scalar (such as `JSON`) or an enum has no sub-fields to select.",
        fix: "Remove the `{ ... }` after the field.";
    InvalidFragmentType => Validation, Error, Some(400),
        title: "Fragment on a type that cannot have one",
        cause: "The type condition of a fragment must be an object, interface or union type.",
        fix: "Put the fragment on an object, interface or union type.";
    ImpossibleFragmentSpread => Validation, Error, Some(400),
        title: "Fragment can never apply here",
        cause: "The fragment's type and the type it is spread into have no object type in common.",
        fix: "Spread the fragment inside a selection of a compatible type, or change its type condition.";
    FragmentCycle => Validation, Error, Some(400),
        title: "Fragments spread each other in a cycle",
        cause: "A fragment spreads itself, directly or through other fragments.",
        fix: "Break the cycle by inlining the fields that the fragments need.";
    DirectiveNotAllowedHere => Validation, Error, Some(400),
        title: "Directive in the wrong place",
        cause: "The directive is not declared for this location.",
        fix: "Move the directive to a location it supports, or remove it.";
    UnsupportedOperationType => Validation, Error, Some(400),
        title: "Operation type the schema does not have",
        cause: "The schema defines no root type for this kind of operation.",
        fix: "Use an operation type the schema supports: Flows run as queries, streams as subscriptions.";
    InvalidSubscription => Validation, Error, Some(400),
        title: "Invalid subscription",
        cause: "A subscription must select exactly one root field, not an introspection field, and not under `@skip`/`@include`.",
        fix: "Select exactly one root field in the subscription, without conditions.";
    FieldConflict => Validation, Error, Some(400),
        title: "Conflicting fields under one response name",
        cause: "Two selections answer under the same name but with different fields, arguments or types.",
        fix: "Give one of them an alias, or make them identical.";
    TypeDefinitionInOperation => Validation, Error, Some(400),
        title: "Type definition in an operation document",
        cause: "Requests may only contain operations and fragments, not schema definitions.",
        fix: "Move type definitions into a schema file.";
    InvalidDefer => Validation, Error, Some(400),
        title: "Invalid use of `@defer`",
        cause: "`@defer` is used where it is not allowed, or with a duplicate or variable label.",
        fix: "Follow the rules of `@defer`, or remove it.";
    DeprecatedUsage => Validation, Warning, Some(200),
        title: "Deprecated field, argument or enum value",
        cause: "The schema marks what the operation uses as deprecated: it still works today, but the API may remove it.",
        fix: "Move to what the deprecation reason names (the quick fix does when it names one), or keep it knowingly until you can.";
    InvalidOperation => Validation, Error, Some(400),
        title: "Invalid operation",
        cause: "The operation breaks a GraphQL validation rule not listed separately here.",
        fix: "Read the message for the rule that was broken, and fix the operation accordingly.";

    // --- Platform rules on top of GraphQL ---
    QueryFieldInMutation => PlatformRule, Error, Some(400),
        title: "Flow call sent as a mutation",
        cause: "`executeWorkflow`, `executeAgent` and `checkStatus` are query fields; some prose calls them mutations, but the server rejects them under `mutation`.",
        fix: "Change the operation keyword from `mutation` to `query`.";
    StreamAsQuery => PlatformRule, Warning, Some(200),
        title: "Streaming call sent as a query",
        cause: "`executeWorkflowWithStream` is a subscription field. Sent as a query it returns the whole result as plain JSON, not a stream of events.",
        fix: "Use `subscription` and send `Accept: text/event-stream` to receive events as they are produced, or call `executeWorkflow` if you want one result.";

    // --- Set-up ---
    OrgKeyOnProjectEndpoint => Platform, Error, Some(401),
        title: "Organisation key used for the project endpoint",
        cause: "Keys that start with `lt-org-` belong to the organisation REST API; the project GraphQL endpoint only accepts a project key (`lt-...`).",
        fix: "Create or copy a project API key in Studio (Settings, API Keys) and use it as `apiKey`; keep the organisation key for `orgKey`.";
    IntrospectionDisabled => Platform, Warning, Some(200),
        title: "The endpoint does not answer introspection",
        cause: "The endpoint answered the schema request with GraphQL errors instead of a schema, which is what a server with introspection turned off does.",
        fix: "Nothing is wrong with your requests. Point `schema` at an SDL or introspection file if you have one; otherwise flowql keeps checking against its cached or bundled copy.";

    SchemaLoadFailed => Setup, Warning, None,
        title: "Schema could not be loaded",
        cause: "The schema named by the configuration could not be read or parsed, so flowql checks against the bundled platform schema instead.",
        fix: "Fix the path or the file named by `schema` in the graphql-config file; the message says what went wrong.";
    ConfigInvalid => Setup, Error, None,
        title: "Configuration is invalid",
        cause: "The graphql-config file cannot be read, is not valid YAML, JSON or TOML, or a setting has the wrong type or form.",
        fix: "Correct the setting at the marked place; flowql carries on with the settings that are valid.";
    ConfigUnknownKey => Setup, Warning, None,
        title: "Unknown setting",
        cause: "`extensions.flowql` has a key flowql does not know, often a misspelling; it is ignored.",
        fix: "Use one of the documented keys (docs/configuration.md); the message suggests the closest one.";
    EnvVarUnset => Setup, Warning, None,
        title: "Environment variable not set",
        cause: "The configuration refers to `${NAME}`, but neither the environment nor the `.env` file beside the configuration defines it, so the setting has no value.",
        fix: "Define the variable in your environment or in `.env` next to the configuration, or give a default: `${NAME:default}`.";
    LiteralSecret => Setup, Warning, None,
        title: "API key written in the configuration",
        cause: "A key written directly in a configuration file ends up in version control, where anyone with the repository can use it.",
        fix: "Move the key into `.env` (kept out of version control) and refer to it as `${FLOWQL_API_KEY}`; the quick fix does both.";
    EndpointWithoutGraphqlPath => Setup, Warning, None,
        title: "Endpoint without `/graphql`",
        cause: "Project endpoints end in `/graphql`; some clients store the URL without it and append it themselves.",
        fix: "Write the full URL, ending in `/graphql`, unless your endpoint is known to differ.";
    FlowSchemaInvalid => Setup, Warning, None,
        title: "Flow input schema cannot be fully understood",
        cause: "The Flow's input schema itself has a problem (invalid JSON in `advance_schema`, an unknown type string, ...); payloads are checked only for what can be known.",
        fix: "Fix the input schema of the Flow's trigger node in Studio (or in the local export), then pull it again.";
    FileUnreadable => Setup, Error, None,
        title: "File cannot be read as text",
        cause: "The file could not be opened, or its bytes are not UTF-8 text, so nothing in it was checked.",
        fix: "Save the file as UTF-8 (or give read permission); if it is not meant to be checked, leave it out of the paths or `documents` globs.";
    FlowStepMismatch => Platform, Warning, Some(404),
        title: "Code reads an environment variable close to a flow's, not the flow's",
        cause: "The code reads a variable for a flow id that no step of `lamatic.config` names, while a step's `envKey` has a near-identical name: whoever sets the project up defines the step's variable, the code's stays empty, and the call has no flow id.",
        fix: "Use the same name in `lamatic.config` (the step's `envKey`), in `.env` / `.env.example` and in the code that reads `process.env` or `os.environ`.";
    FlowNotCalled => Platform, Hint, None,
        title: "No code of the project calls this flow",
        cause: "The kit has the flow (a file in `flows/`, a step of `lamatic.config`), but none of its code runs it: no SDK call or query names its id, its step or its step's environment variable. It may be run from elsewhere (another app, a scheduler); or a call of it was removed or misnamed.",
        fix: "Call the flow where the app needs it, fix the call that was meant to (hover a call to see which flow it runs), or drop the step and its flow file if nothing uses them.";
    FlowNotInProject => Platform, Hint, None,
        title: "A call runs a flow that is not in the project's files",
        cause: "The flow id written in the call is none of the flows of the project's files (flow modules, exports, the configuration's flows): it may be a flow deployed from elsewhere, known only to the platform, so flowql cannot check the payload sent to it.",
        fix: "If the flow belongs to this project, add its export (a file in `flows/` with a step in `lamatic.config`) and call it through the step's envKey; otherwise this is only a note that its payload is not checked.";
    FlowRunStillRunning => Platform, Warning, None,
        title: "The run had not finished when flowql stopped waiting",
        cause: "An async flow accepted the run and `checkStatus` still said it was in progress when the time allowed for the run ran out (async runs may take up to about 20 minutes).",
        fix: "Ask again later with the request ID (`checkStatus`), or allow more time (`flowql run --timeout`). Poll at most once every 3 seconds: faster polling can get the caller blocked.";
    EnvKeyUndocumented => Setup, Warning, None,
        title: "A flow's environment variable is missing from `.env.example`",
        cause: "`.env.example` is where a person setting up the project learns which variables to define; a step's `envKey` missing from it is usually left unset, and its flow calls then fail.",
        fix: "Add the variable to `.env.example` with a placeholder value (`NAME=YOUR_FLOW_ID`).";
    EnvLineUnreadable => Setup, Warning, None,
        title: "A line of an env file is not `NAME=value`",
        cause: "Loaders of `.env` files (the SDKs', Next.js's, python-dotenv) skip or reject a line they cannot read as `NAME=value`, so whatever it was meant to set stays unset; stray text, a name with a dash or a space, and bytes that are not text all do this.",
        fix: "Write the line as `NAME=value` (letters, digits and `_` in the name, not starting with a digit; quote a value with spaces), make it a comment with `#`, or delete it.";
    EnvFlowIdUnset => Platform, Warning, Some(404),
        title: "A flow's environment variable holds no real flow id",
        cause: "The variable a step's `envKey` names is set in `.env` to an empty value or a stand-in (`YOUR_FLOW_ID`, `<flow id>`): the app sends that as the flow id, and the platform finds no such flow.",
        fix: "Copy the deployed flow's id from Studio (the flow's settings) into `.env`, in place of the stand-in.";
    EnvEndpointInvalid => Setup, Warning, None,
        title: "The endpoint in `.env` is not an http(s) URL",
        cause: "`LAMATIC_API_URL` (or another name for the project's endpoint) is set to something that is not an `http://` or `https://` URL, so neither the SDK nor flowql can reach the project with it; flowql uses the bundled schema instead.",
        fix: "Set it to the project's endpoint as Studio shows it (`https://<org>-<project>.<platform domain>`, with or without `/graphql`).";
    InternalError => Setup, Error, None,
        title: "flowql could not analyse this document",
        cause: "flowql itself failed (a bug) while analysing this version of the document, so nothing in it was checked; the next edit tries again.",
        fix: "Keep editing: the next version is analysed afresh. Please report it with the document's text (or the smallest text that does it) and the log line that names the failure, at the project's issue tracker.";
    SchemaFromCache => Setup, Information, None,
        title: "Schema served from the cache",
        cause: "The last fetch of the schema failed, so flowql checks against the copy it cached earlier; the message gives its age and the failure.",
        fix: "Fix the failure named in the message (network, key, endpoint); flowql refreshes the copy on its own once the endpoint answers.";

    // --- Connecting to the platform ---
    FetchTimeout => Connection, Warning, None,
        title: "The endpoint did not answer in time",
        cause: "No complete answer arrived within the timeout (15 s unless configured).",
        fix: "Check your network and the endpoint URL; flowql retries on the next refresh and keeps using its cached or bundled schema meanwhile.";
    ConnectionFailed => Connection, Warning, None,
        title: "Cannot connect to the endpoint",
        cause: "The connection was refused or dropped: nothing listens at that address, or a proxy or firewall is in the way.",
        fix: "Check the host and port of `endpoint`, and any proxy settings (`HTTPS_PROXY`).";
    DnsFailed => Connection, Warning, None,
        title: "Host name not found",
        cause: "The host name of the endpoint does not resolve.",
        fix: "Check the spelling of the host in `endpoint` (copy it from the project settings in Studio) and your DNS or VPN.";
    TlsFailed => Connection, Warning, None,
        title: "Secure connection failed",
        cause: "The TLS handshake failed: the certificate is not trusted, expired or for another host, or something intercepts the connection.",
        fix: "Use the `https://` URL from Studio; behind a corporate proxy, install its root certificate in the system store.";
    NotJson => Connection, Warning, None,
        title: "The endpoint answered with a page, not JSON",
        cause: "The answer was HTML or another non-JSON body, which usually means the URL points at a web page, a login wall or a proxy error page rather than the GraphQL endpoint.",
        fix: "Use the project's GraphQL endpoint from Studio, ending in `/graphql`.";
    MalformedResponse => Connection, Warning, None,
        title: "The answer is not valid JSON",
        cause: "The endpoint claimed JSON but the body does not parse, or is not a GraphQL response.",
        fix: "Retry; if it persists the endpoint or a proxy in between is broken: check the platform status page.";
    ResponseTooLarge => Connection, Warning, None,
        title: "The answer is too large",
        cause: "The answer exceeded the size cap (20 MB unless configured), so it was not read to the end.",
        fix: "Check that `endpoint` is the project's GraphQL endpoint; raise the cap only if your schema really is that large.";
}

impl Code {
    /// The catalog entry for this code.
    pub fn entry(self) -> &'static Entry {
        // The table is generated in the same order as the enum, so the discriminant indexes it.
        &ENTRIES[self as usize]
    }

    /// The stable UPPER_SNAKE spelling, e.g. `UNKNOWN_FIELD`.
    pub fn as_str(self) -> &'static str {
        // Computed once per variant from the Rust name, so the two can never disagree.
        static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let names = NAMES.get_or_init(|| {
            ENTRIES
                .iter()
                .map(|e| upper_snake(&format!("{:?}", e.code)))
                .collect()
        });
        names[self as usize].as_str()
    }

    /// Finds a code by its UPPER_SNAKE spelling (case-insensitive, `-` accepted for `_`).
    pub fn parse(text: &str) -> Option<Code> {
        let wanted = text.trim().replace('-', "_").to_ascii_uppercase();
        ENTRIES
            .iter()
            .map(|e| e.code)
            .find(|c| c.as_str() == wanted)
    }

    /// The link that explains this code, under the given base URL of `docs/errors.md`.
    pub fn docs_url(self, base: &str) -> String {
        format!("{}#{}", base.trim_end_matches('#'), self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn upper_snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// The HTTP status in words, as the explanations print it.
pub fn status_text(entry: &Entry) -> String {
    match (entry.http_status, entry.family) {
        (Some(200), _) => "HTTP 200 (the request succeeds; the problem is in the body)".to_string(),
        (Some(status), _) => format!("HTTP {status}"),
        (None, Family::Connection) => "none (no answer arrived from the endpoint)".to_string(),
        (None, _) if entry.severity == Severity::Hint => {
            "none (a note about the project; the request is not at fault)".to_string()
        }
        (None, _) => "none (nothing is sent; this is about flowql's set-up)".to_string(),
    }
}

/// `flowql explain`'s text for one entry.
pub fn explain(entry: &Entry) -> String {
    format!(
        "{code}: {title}\n\nseverity:    {severity}\nHTTP status: {status}\n\nCause\n  {cause}\n\nFix\n  {fix}\n",
        code = entry.code,
        title = entry.title,
        severity = entry.severity.as_str(),
        status = status_text(entry),
        cause = entry.cause,
        fix = entry.fix,
    )
}

/// One entry in Markdown under a heading of the given level (`###` in docs/errors.md, `#` where
/// an editor shows one code on its own).
pub fn entry_markdown(entry: &Entry, heading: &str) -> String {
    let status = entry
        .http_status
        .map_or_else(|| "none".to_string(), |s| s.to_string());
    format!(
        "{heading} `{code}`: {title}\n\n\
         - Severity: {severity}\n- HTTP status: {status}\n\n\
         **Cause.** {cause}\n\n**Fix.** {fix}\n",
        code = entry.code,
        title = entry.title,
        severity = entry.severity.as_str(),
        cause = entry.cause,
        fix = entry.fix,
    )
}

/// `docs/errors.md`, generated from the catalog so that the two never drift.
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# flowql error codes\n\n\
         <!-- Generated from server/src/base/catalog.rs by `flowql explain --markdown`; do not edit. -->\n\n\
         Every diagnostic flowql reports carries one of these codes. Each entry says the HTTP status \
         the request would get if it were sent as it is, why, and what to do.\n",
    );
    let families = [
        Family::Platform,
        Family::Syntax,
        Family::Validation,
        Family::PlatformRule,
        Family::Setup,
        Family::Connection,
    ];
    for family in families {
        out.push_str(&format!("\n## {}\n", family.title()));
        for entry in ENTRIES.iter().filter(|e| e.family == family) {
            out.push_str(&format!("\n<a id=\"{}\"></a>\n", entry.code));
            out.push_str(&entry_markdown(entry, "###"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_indexed_by_their_code() {
        for (i, entry) in ENTRIES.iter().enumerate() {
            assert_eq!(entry.code as usize, i, "{:?} out of order", entry.code);
            assert_eq!(entry.code.entry().title, entry.title);
        }
    }

    #[test]
    fn codes_are_upper_snake_and_round_trip() {
        assert_eq!(Code::UnknownField.as_str(), "UNKNOWN_FIELD");
        assert_eq!(
            Code::QueryFieldInMutation.as_str(),
            "QUERY_FIELD_IN_MUTATION"
        );
        for entry in ENTRIES {
            let text = entry.code.as_str();
            assert!(text.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            assert_eq!(Code::parse(text), Some(entry.code));
            assert_eq!(Code::parse(&text.to_lowercase()), Some(entry.code));
        }
        assert_eq!(Code::parse("NOT_A_CODE"), None);
    }

    #[test]
    fn every_status_of_the_reference_is_covered() {
        for status in [200, 400, 401, 403, 404, 429, 500] {
            assert!(
                ENTRIES
                    .iter()
                    .any(|e| e.family == Family::Platform && e.http_status == Some(status)),
                "no platform entry for HTTP {status}"
            );
        }
    }

    #[test]
    fn texts_are_complete_sentences() {
        for entry in ENTRIES {
            for text in [entry.cause, entry.fix] {
                assert!(text.ends_with('.'), "{}: {text}", entry.code);
                assert!(text.len() > 20, "{}: {text}", entry.code);
            }
        }
    }
}
