// `pnpm bench` prints every figure; `pnpm bench:check` measures only what has a budget that
// does not depend on the machine's speed (bundle sizes) and fails when one is exceeded.
import { measureBundles } from "./bundle-size.mjs";
import { measureCredentials } from "./credentials.mjs";
import { reportNode } from "./node.mjs";
import { measureSession } from "./session.mjs";
import { measureSrp } from "./srp.mjs";

const check = process.argv.includes("--check");
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
let failed = false;

console.log("\nBundle size (esbuild, browser, minified; gzip -9)");
const sizes = await measureBundles();
for (const { name, minified, gzip, budget, target, onDemand } of sizes) {
  let verdict = budget === undefined ? "" : gzip <= budget ? `  ✓ budget ${kb(budget)}` : `  ✗ over budget ${kb(budget)}`;
  // The budget is the check; a target is only an aim, so missing it is no failure.
  if (target !== undefined) verdict += gzip <= target ? ` (aim ${kb(target)} reached)` : ` (aim: ${kb(target)})`;
  if (budget !== undefined && gzip > budget) failed = true;
  console.log(`  ${name.padEnd(42)} ${kb(minified).padStart(10)} min  ${kb(gzip).padStart(9)} gzip${verdict}`);
  if (onDemand.length > 0) console.log(`  ${"".padEnd(42)} loaded on first use: ${onDemand.map((part) => `${part.name} +${kb(part.gzip)}`).join(", ")}`);
}
for (const { name, gzip, versus } of sizes) {
  const incumbent = sizes.find((row) => row.name === versus);
  if (incumbent) console.log(`  ${name}: ${(gzip / incumbent.gzip).toFixed(2)} of ${versus}`);
}

if (await (await import("./react.mjs")).reportReactCost()) failed = true;

if (!check) {
  console.log("\nSRP client work: A + password authentication key (median of runs)");
  const srp = await measureSrp();
  for (const row of srp.rows) console.log(`  ${row.name.padEnd(34)} ${row.medianMs.toFixed(2).padStart(8)} ms`);
  console.log(`  ratio ours / amazon-cognito-identity-js: ${srp.ratio.toFixed(3)} (target ≤ 0.2)`);

  console.log("\nSession (built packages, against the emulator)");
  const session = await measureSession();
  console.log(`  getTokens(), valid cached tokens         ${session.getTokensNs.toFixed(0).padStart(8)} ns/op`);
  for (const row of session.tabs) {
    const name = `refresh calls per expiry, ${row.tabs} tab${row.tabs === 1 ? "" : "s"}${row.lock ? "" : " (no lock)"}`;
    console.log(`  ${name.padEnd(40)} ${row.calls.toFixed(2).padStart(8)}   (sign-outs: ${row.signedOut})`);
  }

  console.log("\nCredentials against the emulator");
  const credentials = await measureCredentials();
  for (const row of credentials.rows) console.log(`  ${row.name.padEnd(34)} ${Math.round(row.nsPerOp).toString().padStart(8)} ns/op`);
  console.log(`  round trips, cold sign-in → credentials: ${credentials.coldTrips} (target 4)`);
  console.log(`  round trips, identity id known:          ${credentials.knownTrips} (target 3)`);
  await reportNode();

  console.log("\nEmulator under load (its own process; full USER_SRP_AUTH sign-ins, GetUser)");
  const { measureEmulator, printEmulator } = await import("./emulator.mjs");
  printEmulator(await measureEmulator());
}

if (failed) {
  console.error("\nbench:check failed: a size budget is exceeded");
  process.exit(1);
}
