// Runs tests/cases/normalise.json through the browser's address rules (docs/javascripts/dr-check.js), with the
// tables the build ships (generator/data/addresses.py browser_tables(), read as JSON on stdin), and prints
// {section: [result, …]} for tests/test_normalise_parity.py to compare with the expected values and Python's.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const [script, casesPath] = process.argv.slice(2);
const tables = JSON.parse(readFileSync(0, "utf8"));
const context = { window: {}, document: { readyState: "complete" }, URLSearchParams };
vm.createContext(context);
vm.runInContext(readFileSync(script, "utf8"), context);
const check = context.window.drCheck;
check.useTables(tables);
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
const run = {
  fold: (t) => check.fold(t),
  account_key: (t) => { const k = check.accountKey(t); return k && [k.key, k.network]; },
  domain_keys: (h) => check.domainKeys(h),
  alike: ([a, b]) => check.alike(a, b),
  alike_domain: ([a, b]) => check.alikeDomain(a, b),
  lookalike_stem: (t) => check.lookalikeStem(t),
  lookalike_probes: (t) => check.lookalikeProbes(t),
};
const out = {};
for (const [section, fn] of Object.entries(run)) out[section] = cases[section].map(([input]) => fn(input));
process.stdout.write(JSON.stringify(out));
