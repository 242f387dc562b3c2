// Running a flow from its "Run" lens and explaining a saved answer: the editor's side of the
// server commands `flowql.runFlow` and `flowql.explainResponse`. The server runs the flow
// (with its own cancellable progress report); this side asks for a JSON payload when the call
// does not write one out, offers to send a payload the flow would reject, and shows each
// report in a read-only document.

/** What `flowql.runFlow` answers. */
export type RunResult =
  | { kind: "needsPayload"; title: string; reason: string }
  | { kind: "notSent"; title: string; markdown: string; canForce: boolean }
  | { kind: "report"; title: string; outcome: string; markdown: string };

/** Why the text typed for a payload cannot be sent, or `undefined` when it can. */
export function payloadProblem(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return "The payload is a JSON object, such as {\"topic\": \"...\"}.";
    }
    return undefined;
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
}

/** Whether a JSON text looks like an answer of the project endpoint: an object with `errors`
 * (entries with a `message`), or with `data` holding a field that runs flows. */
export function looksLikeAnswer(text: string): boolean {
  if (text.length > 5_000_000) {
    return false;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return false;
  }
  const { errors, data } = value as { errors?: unknown; data?: unknown };
  const hasErrors = Array.isArray(errors) && errors.some((e) => e !== null && typeof e === "object" && "message" in e);
  const runs =
    data !== null &&
    typeof data === "object" &&
    ["executeWorkflow", "checkStatus", "executeAgent"].some((field) => field in data);
  return hasErrors || runs;
}

/** A document name for a report: its title, without what a path cannot hold. */
export function reportName(title: string, count: number): string {
  const plain = title.replace(/[\\/:*?"<>|\s]+/g, " ").trim().slice(0, 60) || "flowql";
  return `${plain} (${count}).md`;
}
