// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "typechain-types/",
      "coverage/",
      "reports/",
      "deploy/deployments/",
      ".stryker-tmp/",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.mjs", "stryker.config.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allow: [{ from: "lib", name: "bigint" }] },
      ],
      // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
      "@typescript-eslint/no-unused-expressions": "off",
      "no-console": "off",
    },
  },
  {
    files: ["eslint.config.mjs", "stryker.config.mjs", ".solcover.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: [".solcover.js"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable" } },
  },
);
