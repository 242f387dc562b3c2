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

/** A document name for a report: its title, without what a path cannot hold. */
export function reportName(title: string, count: number): string {
  const plain = title.replace(/[\\/:*?"<>|\s]+/g, " ").trim().slice(0, 60) || "flowql";
  return `${plain} (${count}).md`;
}
