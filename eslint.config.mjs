// ESLint flat config for the site's browser code (docs/javascripts) and the Node parity scripts (tests/js).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["docs/javascripts/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: { ...globals.browser } },
    rules: { "no-var": "off", "eqeqeq": ["error", "always"], "no-implicit-globals": "error" },
  },
  {
    files: ["tests/js/**/*.{js,mjs}"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
