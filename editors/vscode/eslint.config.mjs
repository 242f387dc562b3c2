// Lint rules: typescript-eslint's recommended type-aware set, plus a few that catch real bugs in
// an extension (floating promises lose errors; the server's messages must be awaited).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": [
        "error",
        // node:test's `test` returns a promise that the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: "package", name: ["test", "before", "after"], package: "node:test" }] },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: "error",
    },
  },
  { ignores: ["dist/", "out/", "node_modules/", "*.mjs"] },
);
