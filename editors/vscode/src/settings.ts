// What the extension sends the server: the `flowql.*` settings (as `initializationOptions` and,
// through the client's configuration sync, in `workspace/didChangeConfiguration`), and which
// documents it hands over. Free of the `vscode` module, so Node tests send exactly the same.
import manifest from "../package.json";

/** Every `flowql.*` setting the manifest declares, without the `flowql.` prefix. */
export const SETTING_KEYS: string[] = Object.keys(manifest.contributes.configuration.properties).map(
  (key) => key.slice("flowql.".length),
);

/** The `flowql` section as a nested object (`trace.server` becomes `{ trace: { server } }`),
 * read through `get`, which answers a value or its default as VS Code's configuration does. */
export function settingsSection(get: (key: string) => unknown): Record<string, unknown> {
  const section: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = get(key);
    if (value === undefined) {
      continue;
    }
    const parts = key.split(".");
    let target = section;
    for (const part of parts.slice(0, -1)) {
      target = (target[part] ??= {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  }
  return section;
}

/** `initializationOptions`, in the shape the server reads: `{ flowql: { ... } }`. */
export function initializationOptions(get: (key: string) => unknown): { flowql: Record<string, unknown> } {
  return { flowql: settingsSection(get) };
}

/** A document filter as vscode-languageclient takes it. */
export interface DocumentFilter {
  language: string;
  scheme: string;
  pattern?: string;
}

/** The languages whose string and template literals may hold GraphQL (`gql` tags, `gql()`
 * calls, `/* GraphQL *\/` and `# graphql` markers, the platform docs' untagged templates). */
export const CODE_LANGUAGES = ["javascript", "javascriptreact", "typescript", "typescriptreact", "python"];

/** The documents handed to the server: GraphQL, code with GraphQL in its literals, and the JSON
 * files flowql checks (payload files of the configurations found, and `*.variables.json`
 * beside operations). */
export function documentSelector(jsonGlobs: string[]): DocumentFilter[] {
  const selector: DocumentFilter[] = [
    { scheme: "file", language: "graphql" },
    { scheme: "untitled", language: "graphql" },
    ...CODE_LANGUAGES.map((language) => ({ scheme: "file", language })),
  ];
  const globs = new Set(["**/*.variables.json", ...jsonGlobs]);
  for (const pattern of globs) {
    selector.push({ scheme: "file", language: "json", pattern });
    selector.push({ scheme: "file", language: "jsonc", pattern });
  }
  return selector;
}

/** The experimental client capability that asks the server for `flowql/status` notifications. */
export const EXPERIMENTAL_CAPABILITIES = { flowqlStatus: true };
