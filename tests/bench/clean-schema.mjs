// Prints GitHub's public schema (from @octokit/graphql-schema) without its duplicate fields,
// which graphql-js (and so graphql-lsp) rejects; flowql accepts the schema either way, and
// both servers are measured on this cleaned copy.
import { readFileSync } from "node:fs";
import { parse, print } from "graphql";

const path = new URL("node_modules/@octokit/graphql-schema/schema.graphql", import.meta.url);
const document = parse(readFileSync(path, "utf8"));
let dropped = 0;
const definitions = document.definitions.map((definition) => {
  if (!definition.fields) {
    return definition;
  }
  const seen = new Set();
  const fields = definition.fields.filter((field) => {
    if (seen.has(field.name.value)) {
      dropped += 1;
      return false;
    }
    seen.add(field.name.value);
    return true;
  });
  return { ...definition, fields };
});
process.stdout.write(print({ ...document, definitions }) + "\n");
process.stderr.write(`clean-schema: dropped ${dropped} duplicate fields\n`);
