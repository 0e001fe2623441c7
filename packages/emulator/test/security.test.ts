// The emulator as a server left running on a developer's machine: what a web page the
// developer visits (another origin, or a DNS-rebound name) can and cannot make it do, and
// how it holds up against oversized, slow and too many requests. Real HTTP throughout;
// raw sockets where fetch would not send the request (a forged Host, a stall).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulator, startEmulator, type Emulator, type ServerLimits } from "../src/index.js";
import { call, errorOf, freshEmail, identityCall, password } from "./support.js";
import { openRaw, parseRaw, rawRequest } from "./security-support.js";

const evil = "https://evil.example";
const json = { "content-type": "application/json" };

describe("a web page on another site", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());
  const control = (path: string, init?: RequestInit) => fetch(`${emulator.url}/_emulator/${path}`, init);
  const preflight = (path: string, origin: string) =>
    fetch(`${emulator.url}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-amz-target" },
    });

  it("gets a CORS preflight answered only from loopback origins, on any port", async () => {
    for (const origin of ["http://localhost:5173", "http://127.0.0.1:4321", "http://[::1]:3000", "https://localhost"]) {
      const answer = await preflight("/", origin);
      expect(answer.status, origin).toBe(204);
      expect(answer.headers.get("access-control-allow-origin"), origin).toBe(origin);
    }
    for (const origin of [evil, "http://localhost.evil.example:5173", "null", "file://"]) {
      const answer = await preflight("/", origin);
      expect(answer.status, origin).toBe(403);
      expect(answer.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
  });

  it("cannot read a Cognito answer: no CORS headers for its origin", async () => {
    const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.GetUser" };
    const theirs = await fetch(emulator.url, { method: "POST", headers: { ...headers, origin: evil }, body: "{}" });
    expect(theirs.headers.get("access-control-allow-origin")).toBeNull();
    const ours = await fetch(emulator.url, { method: "POST", headers: { ...headers, origin: "http://localhost:5173" }, body: "{}" });
    expect(ours.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(ours.headers.get("access-control-expose-headers")).toMatch(/x-amzn-ErrorType/);
  });

  it("gets CORS on the OAuth endpoints and keys that browsers call, and none on the hosted UI's pages", async () => {
    const origin = "http://localhost:5173";
    const poolId = emulator.config.userPoolId;
    for (const path of ["/oauth2/token", "/oauth2/revoke", "/oauth2/userInfo"]) {
      expect((await preflight(path, origin)).headers.get("access-control-allow-origin"), path).toBe(origin);
    }
    for (const path of [`/${poolId}/.well-known/jwks.json`, `/${poolId}/.well-known/openid-configuration`, "/.well-known/openid-configuration"]) {
      const answer = await fetch(`${emulator.url}${path}`, { headers: { origin } });
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("access-control-allow-origin"), path).toBe(origin);
    }
    for (const path of ["/login", "/oauth2/authorize", "/logout"]) {
      expect((await fetch(`${emulator.url}${path}`, { headers: { origin } })).headers.get("access-control-allow-origin"), path).toBeNull();
      expect((await preflight(path, origin)).headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });

  it("cannot move the clock with a text/plain POST, which needs no preflight", async () => {
    const before = emulator.now();
    const answer = await control("time", { method: "POST", headers: { origin: evil, "content-type": "text/plain" }, body: JSON.stringify({ advanceMs: 1e9 }) });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(emulator.now()).toBeLessThan(before + 1e9);
  });

  it("cannot read the outbox or add a user to a group, even with a JSON body", async () => {
    expect((await control("outbox", { headers: { origin: evil } })).status).toBe(403);
    const group = await control("groups", { method: "POST", headers: { ...json, origin: evil }, body: JSON.stringify({ username: "x", group: "ADMINS" }) });
    expect(group.status).toBe(403);
    expect((await control("faults", { method: "DELETE", headers: { origin: evil } })).status).toBe(403);
  });

  it("cannot drive the control routes with requests that carry no Origin but say they are cross-site", async () => {
    const answer = await control("outbox", { headers: { "sec-fetch-site": "cross-site" } });
    expect(answer.status).toBe(403);
    expect((await control("outbox", { headers: { "sec-fetch-site": "same-origin" } })).status).toBe(200);
  });

  it("on a loopback origin may use the control routes, with CORS (the example app does)", async () => {
    const origin = "http://127.0.0.1:5173";
    const read = await control("outbox/latest?username=nobody", { headers: { origin, "sec-fetch-site": "same-site" } });
    expect(read.status).toBe(404);
    expect(read.headers.get("access-control-allow-origin")).toBe(origin);
    expect((await preflight("/_emulator/groups", origin)).headers.get("access-control-allow-origin")).toBe(origin);
    const calls = await control("calls", { headers: { origin: "http://localhost:8080", "sec-fetch-site": "cross-site" } });
    expect(calls.status).toBe(200);
  });

  it("cannot post a body that is not JSON to a control route, from any origin", async () => {
    const body = JSON.stringify({ username: "x", group: "y" });
    expect((await control("groups", { method: "POST", headers: { "content-type": "text/plain" }, body })).status).toBe(415);
    expect((await control("groups", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=x&group=y" })).status).toBe(415);
    // A Blob without a type is sent with no Content-Type at all.
    expect((await control("groups", { method: "POST", body: new Blob([body]) })).status).toBe(415);
    expect((await control("time", { method: "POST", headers: { "content-type": "application/json; charset=utf-8" }, body: '{"advanceMs":0}' })).status).toBe(200);
  });
});

describe("the Host header", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());
  const port = () => new URL(emulator.url).port;

  it("must be a loopback name, so a DNS-rebound name cannot reach the emulator", async () => {
    for (const host of [`evil.example:${port()}`, "evil.example", `localhost.evil.example:${port()}`, `127.0.0.1.nip.io:${port()}`]) {
      const answer = await rawRequest(emulator.url, { path: "/_emulator/outbox", headers: { host } });
      expect(answer.status, host).toBe(403);
      expect(answer.body, host).not.toContain("messages");
    }
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, "LOCALHOST", "127.0.0.1"]) {
      expect((await rawRequest(emulator.url, { path: "/_emulator/outbox", headers: { host } })).status, host).toBe(200);
    }
  });

  it("may be a name given in allowedHosts", async () => {
    const named = await startEmulator({ quiet: true, allowedHosts: ["cognito.dev.internal"] });
    try {
      const host = `cognito.dev.internal:${new URL(named.url).port}`;
      expect((await rawRequest(named.url, { path: "/_emulator/calls", headers: { host } })).status).toBe(200);
      expect((await rawRequest(named.url, { path: "/_emulator/calls", headers: { host: "other.dev.internal" } })).status).toBe(403);
    } finally {
      await named.stop();
    }
  });

  it("is not checked behind msw, where the test chose the URL", async () => {
    const core = await createEmulator({ url: "http://cognito.test", quiet: true });
    expect((await core.handle(new Request("http://cognito.test/_emulator/calls"))).status).toBe(200);
  });
});

describe("configured origins", () => {
  it("replace the loopback default when allowedOrigins is given", async () => {
    const emulator = await startEmulator({ quiet: true, allowedOrigins: ["https://app.example.com"] });
    try {
      const get = (origin: string) => fetch(`${emulator.url}/_emulator/calls`, { headers: { origin } });
      const app = await get("https://app.example.com");
      expect(app.status).toBe(200);
      expect(app.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
      expect((await get("http://localhost:5173")).status).toBe(403);
      // The emulator's own pages (the hosted UI) are same-origin, never cross-origin.
      expect((await get(emulator.url)).status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });

  it("must be origins: a TypeError names the bad one", async () => {
    await expect(startEmulator({ allowedOrigins: ["https://app.example.com/path"] })).rejects.toThrow(/allowedOrigins.*app\.example\.com\/path/);
    await expect(startEmulator({ allowedOrigins: ["app.example.com"] })).rejects.toThrow(TypeError);
    await expect(startEmulator({ allowedHosts: ["http://x.test"] })).rejects.toThrow(/allowedHosts/);
  });

  it("come with limits that must be positive whole numbers", async () => {
    await expect(startEmulator({ limits: { maxBodyBytes: -1 } })).rejects.toThrow(/limits\.maxBodyBytes/);
    await expect(startEmulator({ limits: { requestTimeoutMs: 0.5 } })).rejects.toThrow(TypeError);
  });
});

describe("limits of the server", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    // ServerLimits is the package's own export, so apps can type their limits.
    const limits: ServerLimits = { requestTimeoutMs: 300, maxConnections: 8 };
    emulator = await startEmulator({ quiet: true, limits });
  });
  afterAll(() => emulator.stop());
  const target = "AWSCognitoIdentityProviderService.SignUp";

  it("answers an oversized body with 413 and a Cognito-shaped error, and keeps serving", async () => {
    const { socket, closed } = await openRaw(emulator.url);
    socket.write(`POST / HTTP/1.1\r\nhost: ${new URL(emulator.url).host}\r\ncontent-type: application/x-amz-json-1.1\r\nx-amz-target: ${target}\r\ncontent-length: ${2 * 1024 * 1024}\r\n\r\n{"a":"`);
    const answer = parseRaw(await closed);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: "SerializationException" });

    // Chunked, with no length up front: cut off once over the cap.
    const chunked = await openRaw(emulator.url);
    chunked.socket.write(`POST / HTTP/1.1\r\nhost: ${new URL(emulator.url).host}\r\ncontent-type: application/x-amz-json-1.1\r\nx-amz-target: ${target}\r\ntransfer-encoding: chunked\r\n\r\n`);
    const piece = "x".repeat(64 * 1024);
    for (let i = 0; i < 20; i++) chunked.socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    expect(parseRaw(await chunked.closed).status).toBe(413);

    // A fetch client still sending its body reads the answer, not a reset.
    const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": target };
    const big = await fetch(emulator.url, { method: "POST", headers, body: "x".repeat(2 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { message: string }).message).toBe("The request body is larger than 1048576 bytes");

    expect((await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: freshEmail(), Password: password })).status).toBe(200);
  });

  it("takes the largest request Cognito's own limits allow", async () => {
    // 50 custom attributes of 2048 characters each: Cognito's maximum for a SignUp.
    const UserAttributes = Array.from({ length: 50 }, (_, i) => ({ Name: `custom:attr${i}`, Value: "é".repeat(2048) }));
    const answer = await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: freshEmail(), Password: password, UserAttributes });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).type).toBe("InvalidParameterException"); // the attributes are not in this pool, but the body was read
  });

  it("drops a client that stalls in its body, in its headers or before a word, while answering others", async () => {
    const stalled = await openRaw(emulator.url);
    stalled.socket.write(`POST / HTTP/1.1\r\nhost: ${new URL(emulator.url).host}\r\ncontent-type: application/x-amz-json-1.1\r\nx-amz-target: ${target}\r\ncontent-length: 100\r\n\r\n{`);
    const halfHeaders = await openRaw(emulator.url);
    halfHeaders.socket.write(`GET /_emulator/calls HTTP/1.1\r\nhost: ${new URL(emulator.url).host}\r\n`);
    const silent = await openRaw(emulator.url);
    expect((await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: freshEmail(), Password: password })).status).toBe(200);
    expect(parseRaw(await stalled.closed).status).toBe(408);
    expect(parseRaw(await halfHeaders.closed).status).toBe(408);
    expect(parseRaw(await silent.closed).status).toBe(408);
    expect((await fetch(`${emulator.url}/_emulator/calls`)).status).toBe(200);
  });

  it("refuses connections over maxConnections and serves again once they are closed", async () => {
    const limited = await startEmulator({ quiet: true, limits: { maxConnections: 2 } });
    try {
      const first = await openRaw(limited.url);
      const second = await openRaw(limited.url);
      const third = await openRaw(limited.url);
      expect(await third.closed).toBe("");
      for (const open of [first, second]) {
        open.socket.write(`GET /_emulator/calls HTTP/1.1\r\nhost: ${new URL(limited.url).host}\r\nconnection: close\r\n\r\n`);
        expect(parseRaw(await open.closed).status).toBe(200);
      }
      expect((await rawRequest(limited.url, { path: "/_emulator/calls" })).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});

describe("dispatch and error headers", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());

  it("answers UnknownOperationException for names every object has", async () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      for (const service of ["AWSCognitoIdentityProviderService", "AWSCognitoIdentityService"]) {
        const answer = await call(emulator, name, {}, service);
        expect(errorOf(answer), `${service}.${name}`).toMatchObject({ type: "UnknownOperationException", status: 400 });
      }
    }
  });

  it("keeps a message with line breaks or non-Latin-1 characters in the body, without a 500", async () => {
    // The identity pool's validation message quotes the value it refuses, as Cognito's does.
    for (const value of ["クライアント", "line\nbreak", "tab\tand\r\nreturn", "ü-latin1"]) {
      const IdentityPoolId = `us-east-1:${value}`;
      const answer = await identityCall(emulator, "GetId", { IdentityPoolId });
      expect(errorOf(answer), JSON.stringify(value)).toMatchObject({ type: "InvalidParameterException", status: 400 });
      expect(answer.body.message).toContain(IdentityPoolId);
      const header = answer.headers.get("x-amzn-errormessage");
      if (header !== null) expect(header).toMatch(/^[\x20-\x7e]*$/);
    }
    const plain = await call(emulator, "SignUp", { ClientId: "nope", Username: freshEmail(), Password: password });
    expect(plain.headers.get("x-amzn-errormessage")).toBe("User pool client nope does not exist.");
  });
});

describe("time control", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());
  const advance = (body: string) => fetch(`${emulator.url}/_emulator/time`, { method: "POST", headers: json, body });

  it("refuses absurd moves with 400 and stays usable", async () => {
    const before = emulator.now();
    for (const body of ['{"advanceMs":1e300}', '{"advanceMs":-5}', '{"advanceMs":NaN}', '{"advanceMs":"1000"}', '{"advanceMs":null}', "{}", '{"advanceMs":1e16}']) {
      expect((await advance(body)).status, body).toBe(400);
    }
    expect(() => emulator.advanceTime(1e300)).toThrow(TypeError);
    expect(emulator.now() - before).toBeLessThan(60_000);
    const moved = (await (await advance('{"advanceMs":3600000}')).json()) as { now: number };
    expect(moved.now - before).toBeGreaterThanOrEqual(3_600_000);
    expect(new Date(emulator.now()).toISOString()).toMatch(/^\d{4}-/);
    expect((await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: freshEmail(), Password: password })).status).toBe(200);
  });

  it("still moves by years, as tests of long-lived tokens need", async () => {
    const before = emulator.now();
    const tenYears = 10 * 365 * 24 * 3600 * 1000;
    expect((await advance(JSON.stringify({ advanceMs: tenYears }))).status).toBe(200);
    expect(emulator.now() - before).toBeGreaterThanOrEqual(tenYears);
  });
});
