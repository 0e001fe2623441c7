// SRP client work — computing A and the password authentication key — for cogkit's BigInt
// path and for amazon-cognito-identity-js, in one process with the same inputs.
import { randomBytes, webcrypto } from "node:crypto";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { computeA, modPow, passwordAuthenticationKey, smallA, srpGroup } from "@cogkit/core";

const require = createRequire(import.meta.url);
const { AuthenticationHelper } = require("amazon-cognito-identity-js");
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger.js").default;

const poolName = "AbCdEf123";
const username = "0f5d9a6e-6f0b-4a53-9a38-3c3d1b9c5a11";
const password = "Correct-Horse-Battery-9";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The median wall time of `runs` calls of `task`, after two warm-up calls. */
export async function time(runs, task) {
  for (let i = 0; i < 2; i++) await task();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** A server-side B value of the right size: g^b mod N for a random b. */
function serverB(N) {
  return modPow(2n, BigInt(`0x${randomBytes(32).toString("hex")}`), N);
}

export async function measureSrp({ runs = 15 } = {}) {
  const B = serverB(srpGroup().N);
  const saltHex = randomBytes(16).toString("hex");

  const oursMs = await time(runs, async () => {
    const a = smallA(webcrypto.getRandomValues(new Uint8Array(128)));
    const A = await computeA({ a });
    const salt = BigInt(`0x${saltHex}`);
    return passwordAuthenticationKey({ subtle: webcrypto.subtle, a, A, B, salt, poolName, userId: username, password });
  });
  const theirsMs = await time(runs, () =>
    new Promise((resolve, reject) => {
      const helper = new AuthenticationHelper(poolName); // computes A in its constructor
      helper.getPasswordAuthenticationKey(
        username,
        password,
        new BigInteger(B.toString(16), 16),
        new BigInteger(saltHex, 16),
        (error, key) => (error ? reject(error) : resolve(key)),
      );
    }),
  );
  return {
    rows: [
      { name: "cogkit (BigInt + WebCrypto)", medianMs: oursMs },
      { name: "amazon-cognito-identity-js", medianMs: theirsMs },
    ],
    ratio: oursMs / theirsMs,
  };
}
