// @cogkit/node figures, from the built packages: the wall time of a warm `cogkit credentials`
// (cached, valid credentials in the profile's file) next to a bare `node -e 0` in the same
// run, and SRP client work on the native (OpenSSL) path next to amazon-cognito-identity-js.
import { spawn } from "node:child_process";
import { randomBytes, webcrypto } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { computeA, createAuthClient, modPow, passwordAuthenticationKey, smallA, srpGroup } from "@cogkit/core";
import { startEmulator } from "@cogkit/emulator";
// By path: the root does not depend on @cogkit/node (its package.json is not this file's to change).
import { nativeModPow } from "@cogkit/node";
import { median, time } from "./srp.mjs";

const require = createRequire(import.meta.url);
const cli = fileURLToPath(new URL("../packages/node/dist/cli.js", import.meta.url));

// Spawned asynchronously: the emulator answering the cold run lives in this process.
function wallMs(args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - start;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr}`));
    });
  });
}

async function measureWarmCli({ runs = 15 } = {}) {
  const emulator = await startEmulator({ quiet: true });
  const home = await mkdtemp(join(tmpdir(), "cogkit-bench-"));
  try {
    const username = "bench@example.com";
    const password = "Correct-Horse-Battery-9";
    const client = createAuthClient(emulator.config);
    await client.signUp({ username, password });
    await client.confirmSignUp({ username, code: emulator.outbox.latest(username).code });
    client.dispose();
    const { config } = emulator;
    const env = {
      PATH: process.env.PATH,
      XDG_CONFIG_HOME: home,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      COGKIT_USER_POOL_ID: config.userPoolId,
      COGKIT_CLIENT_ID: config.userPoolClientId,
      COGKIT_IDENTITY_POOL_ID: config.identityPoolId,
      COGKIT_USER_POOL_ENDPOINT: emulator.url,
      COGKIT_IDENTITY_POOL_ENDPOINT: emulator.url,
      COGKIT_USERNAME: username,
      COGKIT_PASSWORD: password,
    };
    const coldMs = await wallMs([cli, "credentials"], env);
    const calls = emulator.callCount("GetCredentialsForIdentity");
    const warm = [];
    const bare = [];
    // Interleaved, so a busy moment of the machine weighs on both alike.
    for (let i = 0; i < runs; i++) {
      bare.push(await wallMs(["-e", "0"], env));
      warm.push(await wallMs([cli, "credentials"], env));
    }
    if (emulator.callCount("GetCredentialsForIdentity") !== calls) throw new Error("a warm run made a request");
    return { coldMs, warmMs: median(warm), bareMs: median(bare) };
  } finally {
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }
}

async function measureNativeSrp({ runs = 15 } = {}) {
  const { AuthenticationHelper } = require("amazon-cognito-identity-js");
  const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger.js").default;
  const poolName = "AbCdEf123";
  const userId = "0f5d9a6e-6f0b-4a53-9a38-3c3d1b9c5a11";
  const password = "Correct-Horse-Battery-9";
  const B = modPow(2n, BigInt(`0x${randomBytes(32).toString("hex")}`), srpGroup().N);
  const saltHex = randomBytes(16).toString("hex");
  const ours = (pow) => async () => {
    const a = smallA(webcrypto.getRandomValues(new Uint8Array(128)));
    const A = await computeA({ a, modPow: pow });
    return passwordAuthenticationKey({ subtle: webcrypto.subtle, a, A, B, salt: BigInt(`0x${saltHex}`), poolName, userId, password, modPow: pow });
  };
  const nativeMs = await time(runs, ours(nativeModPow));
  const bigintMs = await time(runs, ours(undefined));
  const theirsMs = await time(runs, () =>
    new Promise((resolve, reject) => {
      const helper = new AuthenticationHelper(poolName);
      helper.getPasswordAuthenticationKey(userId, password, new BigInteger(B.toString(16), 16), new BigInteger(saltHex, 16), (error, key) =>
        error ? reject(error) : resolve(key),
      );
    }),
  );
  return { nativeMs, bigintMs, theirsMs };
}

/** Prints the @cogkit/node figures (no budget: they depend on the machine). */
export async function reportNode() {
  console.log("\n@cogkit/node (built packages)");
  const cliRun = await measureWarmCli();
  console.log(`  cogkit credentials, cold (sign-in + credentials) ${cliRun.coldMs.toFixed(0).padStart(6)} ms`);
  console.log(`  cogkit credentials, warm (cached in the file)    ${cliRun.warmMs.toFixed(0).padStart(6)} ms (median)`);
  console.log(`  node -e 0                                        ${cliRun.bareMs.toFixed(0).padStart(6)} ms (median)`);
  console.log(
    `  warm over bare Node: ${(cliRun.warmMs - cliRun.bareMs).toFixed(1)} ms, ratio ${(cliRun.warmMs / cliRun.bareMs).toFixed(2)} (target ≤ 30 ms over)`,
  );
  const srp = await measureNativeSrp();
  console.log(`  SRP client work, native modPow (OpenSSL)         ${srp.nativeMs.toFixed(2).padStart(8)} ms`);
  console.log(`  SRP client work, core BigInt modPow              ${srp.bigintMs.toFixed(2).padStart(8)} ms`);
  console.log(`  SRP client work, amazon-cognito-identity-js      ${srp.theirsMs.toFixed(2).padStart(8)} ms`);
  console.log(`  ratio native / amazon-cognito-identity-js: ${(srp.nativeMs / srp.theirsMs).toFixed(3)} (target ≤ 0.04)`);
}
