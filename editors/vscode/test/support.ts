// Where the tests find the repository and the flowql binary (FLOWQL_BIN, which the Rust test
// that runs them sets; else the debug build).
import * as fs from "node:fs";
import * as path from "node:path";

export const repositoryRoot = path.resolve(__dirname, "..", "..", "..", "..");

export function flowqlBinary(): string {
  const binary = process.env.FLOWQL_BIN ?? path.join(repositoryRoot, "target", "debug", "flowql");
  if (!fs.existsSync(binary)) {
    throw new Error(`no flowql binary at ${binary}: run \`cargo build\` or set FLOWQL_BIN`);
  }
  return binary;
}
