import { createHash, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { formatSrpTimestamp } from "@cogkit/emulator";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { modPow } from "./mod-pow.js";
import {
  claimSignature,
  computeA,
  computeS,
  computeU,
  computeX,
  deriveKey,
  padHex,
  passwordAuthenticationKey,
  smallA,
  srpGroup,
  srpTimestamp,
} from "./srp.js";

// amazon-cognito-identity-js is the reference: same inputs must give the same outputs.
const require = createRequire(import.meta.url);
const AuthenticationHelper = require("amazon-cognito-identity-js/lib/AuthenticationHelper.js").default;
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger.js").default;

const subtle = globalThis.crypto.subtle;
const poolName = "Abc123XyZ";
const userId = "7d3f9a1c-0b6e-4f57-9c1e-3a2b8e5d4c10";
const password = "Correct-horse-9!";
const aHex = "a1b2c3d4e5f60718293a4b5c6d7e8f90".repeat(8); // 128 bytes, top bit set
const saltHex = "8e2f4c1a9b7d6e5f4a3b2c1d0e9f8a7b";
const bHex = "5d".repeat(96);
const secretBlock = Buffer.from("the server's opaque secret block, any bytes \u00ff\u0000".repeat(3)).toString("base64");
const at = Date.UTC(2026, 10, 3, 4, 5, 6); // a Tuesday

function reference() {
  const helper = new AuthenticationHelper(poolName);
  helper.smallAValue = new BigInteger(aHex, 16);
  helper.largeAValue = undefined;
  let A: any;
  helper.getLargeAValue((_: unknown, value: unknown) => (A = value));
  let B: any;
  helper.g.modPow(new BigInteger(bHex, 16), helper.N, (_: unknown, value: unknown) => (B = value));
  const salt = new BigInteger(saltHex, 16);
  let hkdf: Buffer | undefined;
  helper.getPasswordAuthenticationKey(userId, password, B, salt, (_: unknown, key: Buffer) => (hkdf = key));
  const x = new BigInteger(helper.hexHash(helper.padHex(salt) + helper.hash(`${poolName}${userId}:${password}`)), 16);
  let S: any;
  helper.calculateS(x, B, (_: unknown, value: unknown) => (S = value));
  return {
    k: BigInt(`0x${helper.k.toString(16)}`),
    A: BigInt(`0x${A.toString(16)}`),
    B: BigInt(`0x${B.toString(16)}`),
    u: BigInt(`0x${helper.UValue.toString(16)}`),
    x: BigInt(`0x${x.toString(16)}`),
    S: BigInt(`0x${S.toString(16)}`),
    key: new Uint8Array(hkdf!),
  };
}

describe("SRP maths", () => {
  const ref = reference();
  const a = BigInt(`0x${aHex}`);
  const salt = BigInt(`0x${saltHex}`);

  it("pads hex the way Java's BigInteger.toByteArray does", () => {
    expect(padHex(0x0n)).toBe("00");
    expect(padHex(0x7fn)).toBe("7f");
    expect(padHex(0x80n)).toBe("0080");
    expect(padHex(0xabcn)).toBe("0abc");
    expect(padHex(0x8abcn)).toBe("008abc");
    expect(() => padHex(-1n)).toThrow(TypeError);
  });

  it("calls misuse of the building blocks a TypeError: no random bytes, negative values", async () => {
    expect(() => smallA(new Uint8Array(0))).toThrow(TypeError);
    expect(() => smallA("!" as never)).toThrow(TypeError);
    expect(() => computeU(subtle, -1n, 1n)).toThrow(TypeError);
    await expect(deriveKey(subtle, -1n, 1n)).rejects.toThrow(TypeError);
  });

  it("computes N equal to RFC 3526's 3072-bit prime, digit for digit", () => {
    const rfc3526 =
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
      "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
      "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
      "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
      "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
      "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
      "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
      "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
    expect(srpGroup().N.toString(16).toUpperCase()).toBe(rfc3526);
    expect(srpGroup().N).toBe(BigInt(`0x${new AuthenticationHelper(poolName).N.toString(16)}`));
  });

  it("holds k = H(pad(N) | pad(g)) as the reference computes it", async () => {
    const { N, g, k } = srpGroup();
    const hash = createHash("sha256").update(Buffer.from(padHex(N) + padHex(g), "hex")).digest("hex");
    expect(k).toBe(BigInt(`0x${hash}`));
    expect(k).toBe(ref.k);
  });

  it("computes A, u, x, S and the derived key as amazon-cognito-identity-js does", async () => {
    const A = await computeA({ a });
    expect(A).toBe(ref.A);
    const u = await computeU(subtle, A, ref.B);
    expect(u).toBe(ref.u);
    const x = await computeX({ subtle, salt, poolName, userId, password });
    expect(x).toBe(ref.x);
    const S = await computeS({ subtle, a, B: ref.B, u, x });
    expect(S).toBe(ref.S);
    expect(await deriveKey(subtle, S, u)).toEqual(ref.key);
    expect(await passwordAuthenticationKey({ subtle, a, A, B: ref.B, salt, poolName, userId, password })).toEqual(ref.key);
  });

  it("matches fixed vectors, so a change in the reference cannot hide a change here", async () => {
    const A = await computeA({ a });
    const u = await computeU(subtle, A, ref.B);
    const x = await computeX({ subtle, salt, poolName, userId, password });
    const S = await computeS({ subtle, a, B: ref.B, u, x });
    const key = await deriveKey(subtle, S, u);
    const head = (n: bigint) => n.toString(16).slice(0, 16);
    expect({ A: head(A), u: head(u), x: head(x), S: head(S) }).toMatchInlineSnapshot(`
      {
        "A": "319de7c59b46d165",
        "S": "e06edd8f18e0df7e",
        "u": "f422fd3bb3f126a9",
        "x": "571d1108e3d3d437",
      }
    `);
    expect(Buffer.from(key).toString("hex")).toMatchInlineSnapshot(`"470211b18749806c84c240497013e397"`);
    const signature = await claimSignature({ subtle, key, poolName, userId, secretBlock, timestamp: srpTimestamp(at) });
    expect(signature).toMatchInlineSnapshot(`"xXCBojHkkoHvPofGE6rTgen7pncZXFXjO0IODtQfYMQ="`);
  });

  it("signs the password claim as CognitoUser does", async () => {
    const timestamp = srpTimestamp(at);
    const signature = await claimSignature({ subtle, key: ref.key, poolName, userId, secretBlock, timestamp });
    const expected = createHmac("sha256", Buffer.from(ref.key))
      .update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(secretBlock, "base64"), Buffer.from(timestamp)]))
      .digest("base64");
    expect(signature).toBe(expected);
  });

  it("formats the timestamp with an unpadded day and padded time", () => {
    expect(srpTimestamp(at)).toBe("Tue Nov 3 04:05:06 UTC 2026");
    expect(srpTimestamp(Date.UTC(2027, 0, 21, 23, 59, 9))).toBe("Thu Jan 21 23:59:09 UTC 2027");
  });

  it("formats every instant the way the emulator's independent formatter does", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(srpTimestamp(ms)).toBe(formatSrpTimestamp(ms));
      }),
    );
  });

  it("uses an injected modPow for every exponentiation", async () => {
    const calls: bigint[] = [];
    const counting = (b: bigint, e: bigint, m: bigint) => {
      calls.push(e);
      return modPow(b, e, m);
    };
    const A = await computeA({ a, modPow: counting });
    await passwordAuthenticationKey({ subtle, a, A, B: ref.B, salt, poolName, userId, password, modPow: counting });
    expect(calls).toHaveLength(3);
  });

  it("refuses a B that is 0 mod N", async () => {
    const A = await computeA({ a });
    const { N } = srpGroup();
    await expect(passwordAuthenticationKey({ subtle, a, A, B: N * 2n, salt, poolName, userId, password })).rejects.toThrow(TypeError);
  });

  it("agrees with native modular exponentiation", () => {
    const { N } = srpGroup();
    expect(modPow(2n, 10n, 1000n)).toBe(24n);
    expect(modPow(-3n, 3n, 7n)).toBe(1n); // -27 ≡ 1 (mod 7)
    expect(modPow(5n, 0n, N)).toBe(1n);
  });
});
