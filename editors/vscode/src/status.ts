// The status item's text from the server's `flowql/status` (where the schema comes from, how
// old it is, the last fetch error). Free of the `vscode` module.

export interface FetchError {
  code: string;
  status: string;
  message: string;
  fix: string;
}

/** What the server sends in `flowql/status` (see server/src/workspace/status.rs). */
export interface Status {
  version: string;
  config: string | null;
  project: string | null;
  schema: {
    kind: "bundled" | "file" | "cache" | "live";
    summary: string;
    detail: string;
    endpoint: string | null;
    ageSeconds: number | null;
    lastError: FetchError | null;
  };
  flows: { count: number; lastError: FetchError | null };
  problem: string | null;
  jsonGlobs: string[];
}

export type Level = "ok" | "warning" | "error";

export interface StatusView {
  /** Short, for the status area: "flowql: schema live". */
  text: string;
  /** Plain text, one fact per line, for the status item's detail. */
  detail: string;
  level: Level;
}

function describeError(what: string, error: FetchError): string {
  return `The last ${what} fetch failed (${error.code}, ${error.status}): ${error.message}. ${error.fix}`;
}

export function statusView(status: Status): StatusView {
  const lines = [`Schema: ${status.schema.detail}.`];
  if (status.config) {
    const project = status.project && status.project !== "default" ? ` (project ${status.project})` : "";
    lines.push(`Configuration: ${status.config}${project}.`);
  } else {
    lines.push("No graphql-config file: the bundled platform schema is used.");
  }
  lines.push(`Flows known: ${status.flows.count}.`);
  let level: Level = "ok";
  if (status.schema.lastError) {
    lines.push(describeError("schema", status.schema.lastError));
    level = "warning";
  }
  if (status.flows.lastError) {
    lines.push(describeError("flow", status.flows.lastError));
    level = "warning";
  }
  if (status.problem) {
    lines.push(`Problem: ${status.problem}`);
    level = "error";
  }
  const failed = status.schema.lastError ? ", fetch failed" : "";
  return {
    text: `flowql: schema ${status.schema.summary}${failed}`,
    detail: lines.join("\n"),
    level,
  };
}
