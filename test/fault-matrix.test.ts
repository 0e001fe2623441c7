// The fault matrix of issue 10: one suite, one row per fault, each with its stated outcome.
// A row names the area, the fault, how it is injected and what must happen; every row also
// checks that no promise was left unhandled and that nothing it awaited got stuck (promises
// are settled by moving the test clock, see test/fault-support.ts). The outcomes, for all rows:
// the session is never lost on a transient fault, sign-out only on a definitive answer, no
// stuck state, no unhandled rejection, no silent success.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthClient,
  type AuthEvent,
  type CognitoTransport,
  createFetchTransport,
  createMemoryStorage,
  getCredentials,
  getIdentityId,
  isAuthError,
} from "@cogkit/core";
import type { EmulatorOptions } from "@cogkit/emulator";
import { getCredentials as nodeGetCredentials } from "@cogkit/node";
import { type Harness, lifetimeMs, marginMs, startHarness } from "../packages/core/test/session-support.js";
import { createTestClock } from "../packages/core/test/test-clock.js";
import { confirmedUser, emulatorEnv, password } from "../packages/node/test/support.js";
import {
  answerOperation,
  eventLog,
  type FaultWorld,
  faultWorld,
  fillingStorage,
  isCredentialProcessJson,
  quotaExceeded,
  rejectingAsyncStorage,
  runCli,
  throwingStorage,
  trapUnhandledRejections,
  type TransportName,
} from "./fault-support.js";

type Area = "sign-in" | "refresh" | "credentials" | "sign-out" | "storage" | "node file store" | "cli";

interface Row {
  area: Area;
  fault: string;
  /** How the fault is injected. */
  injection: string;
  /** The stated outcome the row asserts. */
  outcome: string;
  /** Transports the row runs over; fetch only unless given. */
  transports?: TransportName[];
  emulator?: EmulatorOptions;
  /** Client clock minus emulator clock. */
  skewMs?: number;
  run(world: FaultWorld, transport: TransportName): Promise<void>;
}

const both: TransportName[] = ["fetch", "aws-sdk"];
const server = setupServer();
const trap = trapUnhandledRejections();
let world: FaultWorld | undefined;
let harness: Harness | undefined;

beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterAll(() => {
  server.close();
  trap.dispose();
});
afterEach(async () => {
  server.resetHandlers();
  world?.dispose();
  await harness?.stop();
  world = harness = undefined;
});

// ---- helpers the rows share ----

const anyEnd = ["tokenRefreshed", "tokenRefreshFailed", "sessionExpired", "signedOut"] as const;

/** The next of `types` the client emits (of the refresh's possible ends by default). */
function nextOf(client: AuthClient, types: readonly AuthEvent["type"][] = anyEnd): Promise<AuthEvent> {
  return new Promise((resolve) => {
    const off = client.subscribe((event) => {
      if (!types.includes(event.type)) return;
      off();
      resolve(event);
    });
  });
}

/** The stored session record of `storage`, parsed (null when none). */
async function stored(w: FaultWorld, storage: { getItem(key: string): unknown }) {
  const raw = await storage.getItem(w.h.key);
  return typeof raw === "string" ? (JSON.parse(raw) as { refreshToken?: string; accessToken: string }) : null;
}

/** A signed-in client whose first refresh is due at the next timer; its storage and tokens. */
async function signedInForRefresh(w: FaultWorld, transport: TransportName, extra: { storage?: ReturnType<typeof createMemoryStorage> } = {}) {
  const storage = extra.storage ?? createMemoryStorage();
  const { client, username } = await w.signedIn({ transport, storage });
  const tokens = await client.getTokens();
  return { client, username, storage, tokens };
}

/** Transient refresh fault: the session is kept whole, and the retry later succeeds. */
async function expectKeptThenRetried(
  w: FaultWorld,
  client: AuthClient,
  storage: ReturnType<typeof createMemoryStorage>,
  before: { refreshToken: string | undefined; accessToken: { jwt: string } },
  errorClass?: "transient",
) {
  const failed = await w.success(nextOf(client), 10 * 60_000);
  expect(failed.type).toBe("tokenRefreshFailed");
  if (failed.type !== "tokenRefreshFailed") return;
  // Never definitive: only Cognito's refusal ends a session.
  expect(failed.errorClass).not.toBe("definitive");
  if (errorClass) expect(failed.errorClass).toBe(errorClass);
  expect(client.getSnapshot().status).toBe("signedIn");
  expect((await stored(w, storage))?.refreshToken).toBe(before.refreshToken);
  // Still valid tokens serve meanwhile.
  const meanwhile = await w.success(client.getTokens());
  expect(meanwhile.refreshToken).toBe(before.refreshToken);
  // The retry (its timer on the test clock) succeeds once the fault is gone.
  const retried = await w.success(nextOf(client), 10 * 60_000);
  expect(retried.type).toBe("tokenRefreshed");
  const after = await w.success(client.getTokens());
  expect(after.accessToken.jwt).not.toBe(before.accessToken.jwt);
  expect(client.getSnapshot().status).toBe("signedIn");
}

/** Definitive refresh answer: the session ends (sessionExpired), storage is cleared, getTokens says so. */
async function expectSessionEnded(w: FaultWorld, client: AuthClient, storage: ReturnType<typeof createMemoryStorage>) {
  const ended = await w.success(nextOf(client), 10 * 60_000);
  expect(ended.type).toBe("sessionExpired");
  expect(client.getSnapshot().status).toBe("signedOut");
  expect(await stored(w, storage)).toBeNull();
  expect((await w.failure(client.getTokens())).code).toBe("ERR_NOT_SIGNED_IN");
}

/** A transport that delegates to `inner`, aborting `controller` just before `operation` is sent. */
function abortingBefore(inner: CognitoTransport, operation: string, controller: AbortController): CognitoTransport {
  return {
    userPool: ((op: string, input: unknown, call?: { signal?: AbortSignal }) => {
      if (op === operation) controller.abort();
      return (inner.userPool as any)(op, input, call);
    }) as CognitoTransport["userPool"],
    identityPool: ((op: string, input: unknown, call?: { signal?: AbortSignal }) => {
      if (op === operation) controller.abort();
      return (inner.identityPool as any)(op, input, call);
    }) as CognitoTransport["identityPool"],
  };
}

const fetchTransportOf = (w: FaultWorld, timeoutMs?: number) =>
  createFetchTransport({ ...w.config, platform: { clock: w.h.clock }, timeoutMs });

const credentialsOk = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; identityId: string; expiration?: Date }) => {
  expect(credentials.accessKeyId).toMatch(/\S/);
  expect(credentials.secretAccessKey).toMatch(/\S/);
  expect(credentials.sessionToken).toMatch(/\S/);
  expect(credentials.identityId).toMatch(/\S/);
  expect(credentials.expiration).toBeInstanceOf(Date);
};

/** Body texts for the msw rows. */
const malformed = "{ this is not json";
const truncatedAuth = '{"AuthenticationResult":{"AccessToken":"eyJraWQiOiJ';
const truncatedCredentials = '{"IdentityId":"us-east-1:0000","Credentials":{"AccessKeyId":"AS';
const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
const cognitoLocalUnsupported = { error: "CognitoLocal#Unsupported", status: 500, message: "Cognito Local unsupported feature: the operation" };

/** `promise`, with a handler attached now: a row that awaits it later must not see it reported unhandled meanwhile. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** One real event-loop turn: lets sockets make progress (never used to let time pass for the code under test). */
const realTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

/**
 * Settles `promise` through stalled requests: each request out gets its time limit (`limitMs`)
 * passed on the test clock, and each backoff timer fires, until it settles.
 */
async function passStalls(w: FaultWorld, promise: Promise<unknown>, limitMs: number) {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let turn = 0; !done; turn++) {
    if (turn > 20_000) throw new Error("stuck: nothing settled");
    await realTurn();
    if (done) break;
    if (w.inFlight() > 0) await w.h.advance(limitMs);
    else if (w.h.clock.nextTimerAt() !== undefined) await w.h.advance(w.h.clock.nextTimerAt()! - w.h.clock.now());
  }
}

/** Waits (real turns) until a fetch request of the world is out, so the clock can pass its time limit. */
async function untilRequestOut(w: FaultWorld) {
  for (let turn = 0; w.inFlight() === 0; turn++) {
    if (turn > 5_000) throw new Error("no request went out");
    await realTurn();
  }
}

// ---- the matrix ----

const rows: Row[] = [
  // ----- sign-in -----
  {
    area: "sign-in",
    fault: "network drop",
    injection: "TCP proxy offline",
    outcome: "rejects with a retryable ERR_NETWORK, stays signed out, and a sign-in once online succeeds",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      w.h.proxy.setOffline(true);
      const error = await w.failure(client.signIn({ username, password }));
      expect(error).toMatchObject({ code: "ERR_NETWORK", retryable: true });
      expect(client.getSnapshot().status).toBe("signedOut");
      w.h.proxy.setOffline(false);
      expect((await w.success(client.signIn({ username, password }))).nextStep.type).toBe("done");
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "sign-in",
    fault: "5xx",
    injection: "emulator fault InitiateAuth 503",
    outcome: "rejects with a retryable ERR_SERVICE, stays signed out, and the next sign-in succeeds",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      w.h.emulator.injectFault("InitiateAuth", { status: 503 });
      expect(await w.failure(client.signIn({ username, password }))).toMatchObject({ code: "ERR_SERVICE", retryable: true, status: 503 });
      expect(client.getSnapshot().status).toBe("signedOut");
      expect((await w.success(client.signIn({ username, password }))).nextStep.type).toBe("done");
    },
  },
  {
    area: "sign-in",
    fault: "throttling",
    injection: "emulator fault RespondToAuthChallenge TooManyRequestsException",
    outcome: "rejects with a retryable ERR_THROTTLED and keeps the session signed in before",
    async run(w, transport) {
      const { client, username } = await w.signedIn({ transport });
      const before = await client.getTokens();
      w.h.emulator.injectFault("RespondToAuthChallenge", { error: "TooManyRequestsException" });
      expect(await w.failure(client.signIn({ username, password }))).toMatchObject({ code: "ERR_THROTTLED", retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect(await client.getTokens()).toBe(before);
    },
  },
  {
    area: "sign-in",
    fault: "timeout",
    injection: "emulator fault InitiateAuth delayMs (a stalled service), 5 s time limit passed on the test clock",
    outcome: "rejects with a retryable ERR_TIMEOUT and stays signed out",
    async run(w) {
      const client = w.client({ timeoutMs: 5_000 });
      const username = await w.h.newUser();
      w.h.emulator.injectFault("InitiateAuth", { delayMs: 20_000 });
      const signingIn = handled(client.signIn({ username, password }));
      await untilRequestOut(w);
      await w.h.advance(5_000);
      expect(await w.failure(signingIn)).toMatchObject({ code: "ERR_TIMEOUT", retryable: true });
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "malformed body",
    injection: "msw: InitiateAuth answers 200 with text that is not JSON",
    outcome: "rejects with ERR_BAD_RESPONSE (never a SyntaxError) and stays signed out",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      answerOperation(server, w.h.proxy.url, "InitiateAuth", { kind: "body", body: malformed });
      expect((await w.failure(client.signIn({ username, password }))).code).toBe("ERR_BAD_RESPONSE");
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "truncated body",
    injection: "msw: RespondToAuthChallenge answers 200 with JSON cut off mid-token",
    outcome: "rejects with ERR_BAD_RESPONSE and stays signed out",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      answerOperation(server, w.h.proxy.url, "RespondToAuthChallenge", { kind: "body", body: truncatedAuth });
      expect((await w.failure(client.signIn({ username, password }))).code).toBe("ERR_BAD_RESPONSE");
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "wrong content type",
    injection: "msw: InitiateAuth answers 200 text/html (a captive portal or proxy page)",
    outcome: "rejects with ERR_BAD_RESPONSE and stays signed out",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      answerOperation(server, w.h.proxy.url, "InitiateAuth", { kind: "body", body: html, contentType: "text/html" });
      expect((await w.failure(client.signIn({ username, password }))).code).toBe("ERR_BAD_RESPONSE");
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "a non-base64 SECRET_BLOCK in the SRP challenge (defect 11)",
    injection: "msw: InitiateAuth answers PASSWORD_VERIFIER with SECRET_BLOCK '%%%not base64%%%'",
    outcome: "rejects with AuthError ERR_BAD_RESPONSE, not a TypeError",
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      const body = JSON.stringify({
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeParameters: { SALT: "a1b2c3", SRP_B: "f".repeat(512), SECRET_BLOCK: "%%%not base64%%%", USERNAME: username, USER_ID_FOR_SRP: username },
      });
      answerOperation(server, w.h.proxy.url, "InitiateAuth", { kind: "body", body });
      expect((await w.failure(client.signIn({ username, password }))).code).toBe("ERR_BAD_RESPONSE");
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "a server that lacks USER_SRP_AUTH (cognito-local, defect 4)",
    injection: "emulator fault InitiateAuth 500 CognitoLocal#Unsupported",
    outcome: "rejects with ERR_UNSUPPORTED_OPERATION, not retryable",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const username = await w.h.newUser();
      w.h.emulator.injectFault("InitiateAuth", cognitoLocalUnsupported);
      expect(await w.failure(client.signIn({ username, password }))).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false });
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "an already-aborted signal",
    injection: "signIn({ signal: AbortSignal.abort() })",
    outcome: "rejects with ERR_ABORTED without a request, stays signed out",
    async run(w) {
      const client = w.client();
      const username = await w.h.newUser();
      const before = w.h.emulator.callCount("InitiateAuth");
      expect((await w.failure(client.signIn({ username, password, signal: AbortSignal.abort() }))).code).toBe("ERR_ABORTED");
      expect(w.h.emulator.callCount("InitiateAuth")).toBe(before);
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "a signal aborted between InitiateAuth and RespondToAuthChallenge",
    injection: "a transport that delegates to the fetch transport and aborts just before RespondToAuthChallenge",
    outcome: "rejects with ERR_ABORTED, no session, and the next sign-in succeeds",
    async run(w) {
      const controller = new AbortController();
      const client = w.client({ custom: abortingBefore(fetchTransportOf(w), "RespondToAuthChallenge", controller) });
      const username = await w.h.newUser();
      expect((await w.failure(client.signIn({ username, password, signal: controller.signal }))).code).toBe("ERR_ABORTED");
      expect(client.getSnapshot().status).toBe("signedOut");
      const again = w.client();
      expect((await w.success(again.signIn({ username, password }))).nextStep.type).toBe("done");
    },
  },
  {
    area: "sign-in",
    fault: "a signal aborted while InitiateAuth is in flight",
    injection: "emulator fault InitiateAuth delayMs; abort once the request is out",
    outcome: "rejects with ERR_ABORTED and stays signed out",
    async run(w) {
      const client = w.client();
      const username = await w.h.newUser();
      const controller = new AbortController();
      w.h.emulator.injectFault("InitiateAuth", { delayMs: 20_000 });
      const signingIn = handled(client.signIn({ username, password, signal: controller.signal }));
      await untilRequestOut(w);
      controller.abort();
      expect((await w.failure(signingIn)).code).toBe("ERR_ABORTED");
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-in",
    fault: "a signal aborted while RespondToAuthChallenge is in flight",
    injection: "emulator fault RespondToAuthChallenge delayMs; abort once that request is out",
    outcome: "rejects with ERR_ABORTED, no session, and the next sign-in succeeds",
    async run(w) {
      const client = w.client();
      const username = await w.h.newUser();
      const controller = new AbortController();
      w.h.emulator.injectFault("RespondToAuthChallenge", { delayMs: 20_000 });
      const answered = w.h.emulator.callCount("RespondToAuthChallenge");
      const signingIn = handled(client.signIn({ username, password, signal: controller.signal }));
      for (let turn = 0; w.h.emulator.callCount("RespondToAuthChallenge") === answered; turn++) {
        if (turn > 5_000) throw new Error("RespondToAuthChallenge was never sent");
        await realTurn();
      }
      controller.abort();
      expect((await w.failure(signingIn)).code).toBe("ERR_ABORTED");
      expect(client.getSnapshot().status).toBe("signedOut");
      expect((await w.success(w.client().signIn({ username, password }))).nextStep.type).toBe("done");
    },
  },
  {
    area: "sign-in",
    fault: "clock skew +15 min",
    injection: "client test clock 15 min ahead of the emulator",
    outcome: "signs in, expiry counted from receipt on the local clock, refresh armed at expiry minus the margin",
    skewMs: 15 * 60_000,
    async run(w) {
      const client = w.client();
      const username = await w.h.newUser();
      // USER_PASSWORD_AUTH: an SRP TIMESTAMP this far off is refused as Cognito does (the emulator allows 5 min).
      expect((await w.success(client.signIn({ username, password, flow: "password" }))).nextStep.type).toBe("done");
      const tokens = await client.getTokens();
      expect(tokens.expiresAt).toBe(w.h.clock.now() + lifetimeMs);
      expect(w.h.clock.nextTimerAt()).toBe(tokens.expiresAt - marginMs);
    },
  },
  {
    area: "sign-in",
    fault: "clock skew -15 min",
    injection: "client test clock 15 min behind the emulator",
    outcome: "signs in, expiry counted from receipt on the local clock, refresh armed at expiry minus the margin",
    skewMs: -15 * 60_000,
    async run(w) {
      const client = w.client();
      const username = await w.h.newUser();
      // USER_PASSWORD_AUTH: an SRP TIMESTAMP this far off is refused as Cognito does (the emulator allows 5 min).
      expect((await w.success(client.signIn({ username, password, flow: "password" }))).nextStep.type).toBe("done");
      const tokens = await client.getTokens();
      expect(tokens.expiresAt).toBe(w.h.clock.now() + lifetimeMs);
      expect(w.h.clock.nextTimerAt()).toBe(tokens.expiresAt - marginMs);
    },
  },

  // ----- refresh -----
  {
    area: "refresh",
    fault: "network drop",
    injection: "TCP proxy offline when the refresh is due, back online before the retry",
    outcome: "tokenRefreshFailed (transient), still signed in with the same refresh token stored; the retry succeeds",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      w.h.proxy.setOffline(true);
      const failed = await w.success(nextOf(client), 10 * 60_000);
      expect(failed).toMatchObject({ type: "tokenRefreshFailed", errorClass: "transient" });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect((await stored(w, storage))?.refreshToken).toBe(tokens.refreshToken);
      w.h.proxy.setOffline(false);
      expect((await w.success(nextOf(client), 10 * 60_000)).type).toBe("tokenRefreshed");
      expect((await client.getTokens()).accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    },
  },
  {
    area: "refresh",
    fault: "5xx",
    injection: "emulator fault GetTokensFromRefreshToken 503",
    outcome: "tokenRefreshFailed (transient), still signed in with the same refresh token stored; the retry succeeds",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503 });
      await expectKeptThenRetried(w, client, storage, tokens, "transient");
    },
  },
  {
    area: "refresh",
    fault: "throttling",
    injection: "emulator fault GetTokensFromRefreshToken TooManyRequestsException",
    outcome: "tokenRefreshFailed (transient), session kept; the retry succeeds",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { error: "TooManyRequestsException" });
      await expectKeptThenRetried(w, client, storage, tokens, "transient");
    },
  },
  {
    area: "refresh",
    fault: "timeout",
    injection: "emulator fault GetTokensFromRefreshToken delayMs; the 5 s time limit passes on the test clock",
    outcome: "tokenRefreshFailed (transient, ERR_TIMEOUT), session kept; the retry succeeds",
    async run(w) {
      const storage = createMemoryStorage();
      const client = w.client({ storage, timeoutMs: 5_000 });
      const username = await w.h.newUser();
      await client.signIn({ username, password, flow: "password" });
      const tokens = await client.getTokens();
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { delayMs: 20_000 });
      const ended = nextOf(client);
      await w.h.runNextTimer();
      await untilRequestOut(w);
      await w.h.advance(5_000);
      const failed = await w.success(ended);
      expect(failed).toMatchObject({ type: "tokenRefreshFailed", errorClass: "transient", error: { code: "ERR_TIMEOUT" } });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect((await stored(w, storage))?.refreshToken).toBe(tokens.refreshToken);
      expect((await w.success(nextOf(client), 10 * 60_000)).type).toBe("tokenRefreshed");
    },
  },
  {
    area: "refresh",
    fault: "malformed body",
    injection: "msw: GetTokensFromRefreshToken answers 200 with text that is not JSON",
    outcome: "not a definitive answer: session kept, refresh token stored; the retry succeeds",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      answerOperation(server, w.h.proxy.url, "GetTokensFromRefreshToken", { kind: "body", body: malformed });
      await expectKeptThenRetried(w, client, storage, tokens);
    },
  },
  {
    area: "refresh",
    fault: "truncated body",
    injection: "msw: GetTokensFromRefreshToken answers 200 with JSON cut off mid-token",
    outcome: "not a definitive answer: session kept; the retry succeeds",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      answerOperation(server, w.h.proxy.url, "GetTokensFromRefreshToken", { kind: "body", body: truncatedAuth });
      await expectKeptThenRetried(w, client, storage, tokens);
    },
  },
  {
    area: "refresh",
    fault: "wrong content type",
    injection: "msw: GetTokensFromRefreshToken answers 502 text/html from a gateway",
    outcome: "transient: session kept; the retry succeeds",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      answerOperation(server, w.h.proxy.url, "GetTokensFromRefreshToken", { kind: "body", status: 502, body: html, contentType: "text/html" });
      await expectKeptThenRetried(w, client, storage, tokens, "transient");
    },
  },
  {
    area: "refresh",
    fault: "an answer that lacks its tokens",
    injection: "msw: GetTokensFromRefreshToken answers 200 {} (no AuthenticationResult)",
    outcome: "no silent success: the old tokens are not replaced by nothing; session kept; the retry succeeds",
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      answerOperation(server, w.h.proxy.url, "GetTokensFromRefreshToken", { kind: "body", body: "{}" });
      await expectKeptThenRetried(w, client, storage, tokens);
    },
  },
  {
    area: "refresh",
    fault: "an answer whose tokens are already expired (a stale cache or a server with a broken clock)",
    injection: "msw: GetTokensFromRefreshToken answers tokens whose exp is an hour before their iat, up to 20 times",
    outcome: "no refresh storm: at most one more call before the test clock moves; the session is kept",
    async run(w, transport) {
      const { client } = await signedInForRefresh(w, transport);
      const now = Math.floor(w.h.emulator.now() / 1000);
      const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256","kid":"k"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;
      const claims = { sub: "00000000-0000-4000-8000-000000000001", username: "stale", iat: now, exp: now - 3600 };
      const body = JSON.stringify({ AuthenticationResult: { AccessToken: jwt({ ...claims, token_use: "access" }), IdToken: jwt({ ...claims, token_use: "id" }), ExpiresIn: 3600 } });
      const answered = answerOperation(server, w.h.proxy.url, "GetTokensFromRefreshToken", { kind: "body", body }, 20);
      await w.h.runNextTimer();
      // Real turns only (the test clock stands still): let whatever the client does next happen.
      for (let turn = 0; turn < 200 && answered() < 20; turn++) await realTurn();
      expect(answered()).toBeLessThanOrEqual(2);
      expect(client.getSnapshot().status).not.toBe("signedOut");
    },
  },
  {
    area: "refresh",
    fault: "revoked refresh token",
    injection: "RevokeToken of the client's refresh token sent to the emulator",
    outcome: "definitive: sessionExpired, signed out, storage cleared",
    transports: both,
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      await createFetchTransport(w.config).userPool("RevokeToken", { Token: tokens.refreshToken!, ClientId: w.config.userPoolClientId });
      await expectSessionEnded(w, client, storage);
    },
  },
  {
    area: "refresh",
    fault: "reused refresh token",
    injection: "rotation with grace 0: another device rotates the token first; this client presents the old one",
    outcome: "definitive: sessionExpired, signed out, storage cleared",
    emulator: { refreshTokenRotation: { enabled: true, gracePeriodSeconds: 0 } },
    async run(w, transport) {
      const { client, storage } = await signedInForRefresh(w, transport);
      // The same record on another device, which refreshes first.
      const copy = createMemoryStorage();
      await copy.setItem(w.h.key, (await storage.getItem(w.h.key))!);
      const other = w.client({ storage: copy });
      expect((await w.success(other.getTokens({ forceRefresh: true }))).refreshToken).not.toBe((await client.getTokens()).refreshToken);
      await expectSessionEnded(w, client, storage);
    },
  },
  {
    area: "refresh",
    fault: "reused refresh token (Cognito's own error)",
    injection: "emulator fault GetTokensFromRefreshToken RefreshTokenReuseException",
    outcome: "definitive: sessionExpired, signed out, storage cleared",
    async run(w, transport) {
      const { client, storage } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { error: "RefreshTokenReuseException" });
      await expectSessionEnded(w, client, storage);
    },
  },
  {
    area: "refresh",
    fault: "NotAuthorized",
    injection: "emulator fault GetTokensFromRefreshToken NotAuthorizedException",
    outcome: "definitive: sessionExpired, signed out, storage cleared",
    transports: both,
    async run(w, transport) {
      const { client, storage } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { error: "NotAuthorizedException", message: "Invalid Refresh Token" });
      await expectSessionEnded(w, client, storage);
    },
  },
  {
    area: "refresh",
    fault: "a server that lacks GetTokensFromRefreshToken (cognito-local, defect 4)",
    injection: "emulator fault GetTokensFromRefreshToken 500 CognitoLocal#Unsupported, every call",
    outcome: "falls back to InitiateAuth REFRESH_TOKEN_AUTH once and refreshes; signed in",
    transports: both,
    async run(w, transport) {
      const { client, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { ...cognitoLocalUnsupported, times: 100 });
      const initiated = w.h.emulator.callCount("InitiateAuth");
      const event = await w.success(nextOf(client), 10 * 60_000);
      expect(event.type).toBe("tokenRefreshed");
      expect(w.h.emulator.callCount("InitiateAuth")).toBe(initiated + 1);
      expect((await client.getTokens()).accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    },
  },
  {
    area: "refresh",
    fault: "a server that lacks GetTokensFromRefreshToken (UnknownOperationException)",
    injection: "emulator fault GetTokensFromRefreshToken 400 UnknownOperationException, every call",
    outcome: "falls back to InitiateAuth REFRESH_TOKEN_AUTH and refreshes; signed in",
    async run(w, transport) {
      const { client, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { error: "UnknownOperationException", times: 100 });
      expect((await w.success(nextOf(client), 10 * 60_000)).type).toBe("tokenRefreshed");
      expect((await client.getTokens()).accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    },
  },
  {
    area: "refresh",
    fault: "a server that lacks GetTokensFromRefreshToken (501, defect 4)",
    injection: "msw: GetTokensFromRefreshToken answers 501 Not Implemented, every call",
    outcome: "falls back to InitiateAuth REFRESH_TOKEN_AUTH and refreshes; signed in",
    async run(w, transport) {
      const { client, tokens } = await signedInForRefresh(w, transport);
      answerOperation(server, w.h.proxy.url, "GetTokensFromRefreshToken", { kind: "body", status: 501, body: "{}" }, 100);
      expect((await w.success(nextOf(client), 10 * 60_000)).type).toBe("tokenRefreshed");
      expect((await client.getTokens()).accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    },
  },
  {
    area: "refresh",
    fault: "a forced refresh that fails transiently (defect 5b)",
    injection: "emulator fault GetTokensFromRefreshToken 503; getTokens({ forceRefresh: true })",
    outcome: "rejects with the retryable ERR_SERVICE (no old tokens handed out as new); session kept",
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503 });
      expect(await w.failure(client.getTokens({ forceRefresh: true }))).toMatchObject({ code: "ERR_SERVICE", retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect((await stored(w, storage))?.refreshToken).toBe(tokens.refreshToken);
      const fresh = await w.success(client.getTokens({ forceRefresh: true }));
      expect(fresh.accessToken.jwt).not.toBe(tokens.accessToken.jwt);
    },
  },
  {
    area: "refresh",
    fault: "transient failures until the tokens expire",
    injection: "emulator fault GetTokensFromRefreshToken 503 on every call; clock moved past expiry",
    outcome: "getTokens rejects with the retryable error (never expired tokens); still signed in; refreshes once the service is back",
    async run(w, transport) {
      const { client, storage, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 1_000 });
      await w.h.advance(tokens.expiresAt - w.h.clock.now() + 1);
      await w.settle(nextOf(client, ["tokenRefreshFailed"]), 10 * 60_000);
      const error = await w.failure(client.getTokens());
      expect(error).toMatchObject({ retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect((await stored(w, storage))?.refreshToken).toBe(tokens.refreshToken);
      w.h.emulator.clearFaults();
      const fresh = await w.success(client.getTokens());
      expect(fresh.expiresAt).toBeGreaterThan(w.h.clock.now());
    },
  },
  {
    area: "refresh",
    fault: "a crash between refresh and save",
    injection: "rotation (grace 60 s); the storage refuses the refreshed record (full), then the client is disposed and a new one starts on that storage",
    outcome: "the first client keeps the new session in memory (storageWarning); the restarted one is signed in from the old record and refreshes",
    emulator: { refreshTokenRotation: { enabled: true, gracePeriodSeconds: 60 } },
    async run(w) {
      const storage = fillingStorage();
      const { client } = await w.signedIn({ storage });
      const log = eventLog(client);
      storage.full();
      expect((await w.success(nextOf(client), 10 * 60_000)).type).toBe("tokenRefreshed");
      expect(log.has("storageWarning")).toBe(true);
      expect(client.getSnapshot().status).toBe("signedIn");
      client.dispose();
      const restarted = w.client({ storage: { getItem: (key) => storage.getItem(key), setItem: () => undefined, removeItem: () => undefined } });
      const refreshed = await w.success(restarted.getTokens({ forceRefresh: true }));
      expect(restarted.getSnapshot().status).toBe("signedIn");
      expect(refreshed.expiresAt).toBeGreaterThan(w.h.clock.now());
    },
  },
  {
    area: "refresh",
    fault: "clock skew +15 min",
    injection: "client test clock 15 min ahead of the emulator",
    outcome: "no refresh before the margin, exactly one refresh at it, and the session goes on",
    skewMs: 15 * 60_000,
    async run(w) {
      const { client } = await w.signedIn();
      const tokens = await client.getTokens();
      const calls = w.h.refreshCalls();
      await w.h.advance(tokens.expiresAt - marginMs - 1 - w.h.clock.now());
      expect(w.h.refreshCalls()).toBe(calls);
      expect((await w.success(nextOf(client), 60_000)).type).toBe("tokenRefreshed");
      expect(w.h.refreshCalls()).toBe(calls + 1);
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "refresh",
    fault: "clock skew -15 min",
    injection: "client test clock 15 min behind the emulator",
    outcome: "no refresh before the margin, exactly one refresh at it, and the session goes on",
    skewMs: -15 * 60_000,
    async run(w) {
      const { client } = await w.signedIn();
      const tokens = await client.getTokens();
      const calls = w.h.refreshCalls();
      await w.h.advance(tokens.expiresAt - marginMs - 1 - w.h.clock.now());
      expect(w.h.refreshCalls()).toBe(calls);
      expect((await w.success(nextOf(client), 60_000)).type).toBe("tokenRefreshed");
      expect(w.h.refreshCalls()).toBe(calls + 1);
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "refresh",
    fault: "the client disposed while a refresh is in flight",
    injection: "emulator fault GetTokensFromRefreshToken delayMs; getTokens({ forceRefresh }) waiting; dispose()",
    outcome: "the waiting getTokens rejects with an AuthError, no timer is left",
    async run(w, transport) {
      const { client } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { delayMs: 20_000 });
      const waiting = handled(client.getTokens({ forceRefresh: true }));
      await untilRequestOut(w);
      client.dispose();
      await w.failure(waiting);
      expect(w.h.clock.pendingTimers()).toBe(0);
    },
  },

  // ----- credentials -----
  {
    area: "credentials",
    fault: "5xx once",
    injection: "emulator fault GetId 503 (once)",
    outcome: "retried after a backoff on the test clock; resolves with complete credentials",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const calls = w.h.emulator.callCount("GetId");
      w.h.emulator.injectFault("GetId", { status: 503 });
      credentialsOk(await w.success(getCredentials(client)));
      expect(w.h.emulator.callCount("GetId")).toBe(calls + 2);
    },
  },
  {
    area: "credentials",
    fault: "5xx that outlasts the retries",
    injection: "emulator fault GetCredentialsForIdentity 503 ×4",
    outcome: "rejects with a retryable ERR_SERVICE; a later call succeeds",
    transports: both,
    async run(w, transport) {
      const { client } = await w.signedIn({ transport });
      w.h.emulator.injectFault("GetCredentialsForIdentity", { status: 503, times: 4 });
      expect(await w.failure(getCredentials(client))).toMatchObject({ code: "ERR_SERVICE", retryable: true });
      const credentials = await w.success(getCredentials(client));
      credentialsOk(credentials);
      expect(credentials.authenticated).toBe(true);
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "credentials",
    fault: "network drop",
    injection: "msw: GetCredentialsForIdentity fails at the network level ×4",
    outcome: "rejects with a retryable ERR_NETWORK; a later call succeeds",
    transports: both,
    async run(w, transport) {
      const { client } = await w.signedIn({ transport });
      answerOperation(server, w.h.proxy.url, "GetCredentialsForIdentity", { kind: "networkError" }, 4);
      expect(await w.failure(getCredentials(client))).toMatchObject({ code: "ERR_NETWORK", retryable: true });
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "network drop (TCP)",
    injection: "TCP proxy offline for the whole call, then online",
    outcome: "rejects with a retryable ERR_NETWORK, session kept; a later call succeeds",
    transports: both,
    async run(w, transport) {
      const { client } = await w.signedIn({ transport });
      w.h.proxy.setOffline(true);
      expect(await w.failure(getCredentials(client))).toMatchObject({ code: "ERR_NETWORK", retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
      w.h.proxy.setOffline(false);
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "throttling",
    injection: "emulator fault GetId TooManyRequestsException ×4",
    outcome: "rejects with a retryable ERR_THROTTLED; a later call succeeds",
    async run(w, transport) {
      const client = w.client({ transport });
      w.h.emulator.injectFault("GetId", { error: "TooManyRequestsException", times: 4 });
      expect(await w.failure(getCredentials(client))).toMatchObject({ code: "ERR_THROTTLED", retryable: true });
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "timeout",
    injection: "emulator fault GetId delayMs ×4; each 5 s time limit passes on the test clock",
    outcome: "rejects with a retryable ERR_TIMEOUT; a later call succeeds",
    async run(w) {
      const client = w.client({ timeoutMs: 5_000 });
      w.h.emulator.injectFault("GetId", { delayMs: 20_000, times: 4 });
      const asking = getCredentials(client);
      await passStalls(w, asking, 5_000);
      expect(await w.failure(asking)).toMatchObject({ code: "ERR_TIMEOUT", retryable: true });
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "malformed body",
    injection: "msw: GetCredentialsForIdentity answers 200 with text that is not JSON",
    outcome: "rejects with ERR_BAD_RESPONSE; a later call succeeds",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      answerOperation(server, w.h.proxy.url, "GetCredentialsForIdentity", { kind: "body", body: malformed });
      expect((await w.failure(getCredentials(client))).code).toBe("ERR_BAD_RESPONSE");
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "truncated body",
    injection: "msw: GetCredentialsForIdentity answers 200 with JSON cut off mid-key",
    outcome: "rejects with ERR_BAD_RESPONSE; a later call succeeds",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      answerOperation(server, w.h.proxy.url, "GetCredentialsForIdentity", { kind: "body", body: truncatedCredentials });
      expect((await w.failure(getCredentials(client))).code).toBe("ERR_BAD_RESPONSE");
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "wrong content type",
    injection: "msw: GetId answers 200 text/html",
    outcome: "rejects with ERR_BAD_RESPONSE; a later call succeeds",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      answerOperation(server, w.h.proxy.url, "GetId", { kind: "body", body: html, contentType: "text/html" });
      expect((await w.failure(getCredentials(client))).code).toBe("ERR_BAD_RESPONSE");
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "an answer that lacks the secret key",
    injection: "msw: GetCredentialsForIdentity answers 200 without Credentials.SecretKey",
    outcome: "no silent success: rejects with ERR_BAD_RESPONSE",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      const body = JSON.stringify({ IdentityId: "us-east-1:00000000-0000-0000-0000-000000000000", Credentials: { AccessKeyId: "ASIA", SessionToken: "t", Expiration: 4_000_000_000 } });
      answerOperation(server, w.h.proxy.url, "GetCredentialsForIdentity", { kind: "body", body });
      expect((await w.failure(getCredentials(client))).code).toBe("ERR_BAD_RESPONSE");
    },
  },
  {
    area: "credentials",
    fault: "deleted identity",
    injection: "emulator.deleteIdentity(the stored identity id); forceRefresh",
    outcome: "the identity is obtained again once; resolves with a new identity id",
    async run(w, transport) {
      const { client } = await w.signedIn({ transport });
      const first = await w.success(getCredentials(client));
      w.h.emulator.deleteIdentity(first.identityId);
      const calls = w.h.emulator.callCount("GetId");
      const second = await w.success(getCredentials(client, { forceRefresh: true }));
      credentialsOk(second);
      expect(second.identityId).not.toBe(first.identityId);
      expect(w.h.emulator.callCount("GetId")).toBe(calls + 1);
    },
  },
  {
    area: "credentials",
    fault: "forbidden guest identity",
    injection: "emulator.disableIdentity(the guest identity id); forceRefresh",
    outcome: "a new guest identity is obtained once; resolves",
    async run(w, transport) {
      const client = w.client({ transport });
      const first = await w.success(getCredentials(client));
      expect(first.authenticated).toBe(false);
      w.h.emulator.disableIdentity(first.identityId);
      const second = await w.success(getCredentials(client, { forceRefresh: true }));
      credentialsOk(second);
      expect(second.identityId).not.toBe(first.identityId);
    },
  },
  {
    area: "credentials",
    fault: "forbidden authenticated identity",
    injection: "emulator.disableIdentity(the user's identity id); forceRefresh",
    outcome: "rejects with ERR_NOT_AUTHORIZED (not retryable), no GetId loop, the user stays signed in",
    async run(w, transport) {
      const { client } = await w.signedIn({ transport });
      const first = await w.success(getCredentials(client));
      w.h.emulator.disableIdentity(first.identityId);
      const calls = w.h.emulator.callCount("GetId");
      expect(await w.failure(getCredentials(client, { forceRefresh: true }))).toMatchObject({ code: "ERR_NOT_AUTHORIZED", retryable: false });
      expect(w.h.emulator.callCount("GetId")).toBeLessThanOrEqual(calls + 1);
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "credentials",
    fault: "the session's refresh failing transiently past expiry",
    injection: "emulator fault GetTokensFromRefreshToken 503 on every call; clock past expiry",
    outcome: "rejects with the retryable refresh error: never a guest's credentials for a signed-in user",
    async run(w, transport) {
      const { client, tokens } = await signedInForRefresh(w, transport);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 1_000 });
      await w.h.advance(tokens.expiresAt - w.h.clock.now() + 1);
      const result = await w.settle(getCredentials(client), 10 * 60_000);
      expect(result.status).toBe("rejected");
      if (result.status === "rejected") expect(result.reason).toMatchObject({ retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "credentials",
    fault: "an already-aborted signal while the shared request fails (defect 2)",
    injection: "getCredentials(client, { signal: AbortSignal.abort() }) with GetId 400 InvalidParameterException",
    outcome: "rejects with ERR_ABORTED; the failing shared request leaves no unhandled rejection",
    async run(w, transport) {
      const client = w.client({ transport });
      w.h.emulator.injectFault("GetId", { error: "InvalidParameterException" });
      expect((await w.failure(getCredentials(client, { signal: AbortSignal.abort() }))).code).toBe("ERR_ABORTED");
      // A later call settles too (sharing the request, or making its own): any failure of a
      // request the aborted call started surfaces before the row's unhandled-rejection check.
      await w.settle(getCredentials(client));
    },
  },
  {
    area: "credentials",
    fault: "getIdentityId with an already-aborted signal (defect 2)",
    injection: "getIdentityId(client, { signal: AbortSignal.abort() }) with GetId 400",
    outcome: "rejects with ERR_ABORTED and leaves no unhandled rejection",
    async run(w, transport) {
      const client = w.client({ transport });
      w.h.emulator.injectFault("GetId", { error: "InvalidParameterException" });
      expect((await w.failure(getIdentityId(client, { signal: AbortSignal.abort() }))).code).toBe("ERR_ABORTED");
      await w.settle(getIdentityId(client));
    },
  },
  {
    area: "credentials",
    fault: "a signal that is not an AbortSignal (defect 2)",
    injection: "getCredentials(client, { signal: {} })",
    outcome: "a TypeError (misuse), no request and no unhandled rejection",
    async run(w, transport) {
      const client = w.client({ transport });
      let caught: unknown;
      try {
        await getCredentials(client, { signal: {} as AbortSignal });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TypeError);
      for (let turn = 0; turn < 50; turn++) await realTurn();
    },
  },
  {
    area: "credentials",
    fault: "a signal aborted between GetId and GetCredentialsForIdentity",
    injection: "a transport that delegates to the fetch transport and aborts just before GetCredentialsForIdentity",
    outcome: "rejects with ERR_ABORTED; a later call succeeds",
    async run(w) {
      const controller = new AbortController();
      const client = w.client({ custom: abortingBefore(fetchTransportOf(w), "GetCredentialsForIdentity", controller) });
      expect((await w.failure(getCredentials(client, { signal: controller.signal }))).code).toBe("ERR_ABORTED");
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
  {
    area: "credentials",
    fault: "a signal aborted while the call waits for the session's refresh",
    injection: "tokens due for refresh, emulator fault GetTokensFromRefreshToken delayMs; abort once the refresh is out",
    outcome: "rejects with ERR_ABORTED at once; the refresh goes on and the session stays signed in",
    async run(w, transport) {
      const { client, tokens } = await signedInForRefresh(w, transport);
      await w.h.advance(tokens.expiresAt - marginMs - w.h.clock.now() - 1);
      w.h.emulator.injectFault("GetTokensFromRefreshToken", { delayMs: 300 });
      const controller = new AbortController();
      const calls = w.h.refreshCalls();
      await w.h.advance(1);
      const asking = handled(getCredentials(client, { signal: controller.signal }));
      for (let turn = 0; w.h.refreshCalls() === calls; turn++) {
        if (turn > 5_000) throw new Error("the refresh was never sent");
        await realTurn();
      }
      controller.abort();
      expect((await w.failure(asking)).code).toBe("ERR_ABORTED");
      expect((await w.success(nextOf(client))).type).toBe("tokenRefreshed");
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "credentials",
    fault: "a server that lacks GetId",
    injection: "emulator fault GetId 400 UnknownOperationException ×10",
    outcome: "rejects with ERR_UNSUPPORTED_OPERATION, not retryable, after one call (no retry loop)",
    transports: both,
    async run(w, transport) {
      const client = w.client({ transport });
      w.h.emulator.injectFault("GetId", { error: "UnknownOperationException", times: 10 });
      const calls = w.h.emulator.callCount("GetId");
      expect(await w.failure(getCredentials(client))).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false });
      expect(w.h.emulator.callCount("GetId")).toBe(calls + 1);
      w.h.emulator.clearFaults();
    },
  },
  {
    area: "credentials",
    fault: "a signal aborted during the retry backoff",
    injection: "emulator fault GetId 503 (once); abort while the backoff timer waits (test clock not moved)",
    outcome: "rejects with ERR_ABORTED at once, without the clock moving; a later call succeeds",
    async run(w, transport) {
      const client = w.client({ transport });
      const controller = new AbortController();
      w.h.emulator.injectFault("GetId", { status: 503 });
      const asking = getCredentials(client, { signal: controller.signal });
      let outcome: unknown = "pending";
      asking.then(
        () => (outcome = "resolved"),
        (error: unknown) => (outcome = error),
      );
      // Wait (real turns) until the first try failed and a backoff timer is armed.
      for (let turn = 0; w.h.clock.pendingTimers() === 0; turn++) {
        if (turn > 5_000) throw new Error("no backoff timer armed");
        await realTurn();
      }
      const now = w.h.clock.now();
      controller.abort();
      await realTurn();
      expect(isAuthError(outcome, "ERR_ABORTED")).toBe(true);
      expect(w.h.clock.now()).toBe(now);
      credentialsOk(await w.success(getCredentials(client)));
    },
  },

  // ----- sign-out -----
  {
    area: "sign-out",
    fault: "5xx on RevokeToken",
    injection: "emulator fault RevokeToken 503",
    outcome: "signs out here anyway (local sign-out needs no answer): resolves, signed out, storage cleared",
    transports: both,
    async run(w, transport) {
      const storage = createMemoryStorage();
      const { client } = await w.signedIn({ transport, storage });
      w.h.emulator.injectFault("RevokeToken", { status: 503 });
      await w.success(client.signOut());
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(await stored(w, storage)).toBeNull();
    },
  },
  {
    area: "sign-out",
    fault: "network drop",
    injection: "TCP proxy offline during signOut()",
    outcome: "resolves, signed out here, storage cleared",
    transports: both,
    async run(w, transport) {
      const storage = createMemoryStorage();
      const { client } = await w.signedIn({ transport, storage });
      w.h.proxy.setOffline(true);
      await w.success(client.signOut());
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(await stored(w, storage)).toBeNull();
    },
  },
  {
    area: "sign-out",
    fault: "5xx on GlobalSignOut",
    injection: "emulator fault GlobalSignOut 503",
    outcome: "no silent success: rejects with a retryable ERR_SERVICE and keeps the session; a retry signs out",
    transports: both,
    async run(w, transport) {
      const storage = createMemoryStorage();
      const { client } = await w.signedIn({ transport, storage });
      w.h.emulator.injectFault("GlobalSignOut", { status: 503 });
      expect(await w.failure(client.signOut({ global: true }))).toMatchObject({ code: "ERR_SERVICE", retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect(await stored(w, storage)).not.toBeNull();
      await w.success(client.signOut({ global: true }));
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },
  {
    area: "sign-out",
    fault: "network drop on a global sign-out",
    injection: "TCP proxy offline during signOut({ global: true })",
    outcome: "rejects with a retryable ERR_NETWORK and keeps the session",
    transports: both,
    async run(w, transport) {
      const storage = createMemoryStorage();
      const { client } = await w.signedIn({ transport, storage });
      w.h.proxy.setOffline(true);
      expect(await w.failure(client.signOut({ global: true }))).toMatchObject({ code: "ERR_NETWORK", retryable: true });
      expect(client.getSnapshot().status).toBe("signedIn");
      expect(await stored(w, storage)).not.toBeNull();
    },
  },
  {
    area: "sign-out",
    fault: "an already-aborted signal on a global sign-out",
    injection: "signOut({ global: true, signal: AbortSignal.abort() })",
    outcome: "rejects with ERR_ABORTED and keeps the session",
    async run(w, transport) {
      const { client } = await w.signedIn({ transport });
      expect((await w.failure(client.signOut({ global: true, signal: AbortSignal.abort() }))).code).toBe("ERR_ABORTED");
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "sign-out",
    fault: "a storage that throws on removal",
    injection: "KeyValueStorage whose removeItem throws",
    outcome: "resolves and the client is signed out",
    async run(w, transport) {
      const { client } = await w.signedIn({ transport, storage: throwingStorage(["removeItem"]) });
      await w.success(client.signOut());
      expect(client.getSnapshot().status).toBe("signedOut");
    },
  },

  // ----- storage -----
  {
    area: "storage",
    fault: "full storage at sign-in",
    injection: "KeyValueStorage whose setItem throws QuotaExceededError",
    outcome: "sign-in completes, the session lives in memory (storageWarning), tokens and credentials serve",
    async run(w, transport) {
      const storage = throwingStorage(["setItem"], quotaExceeded);
      const client = w.client({ transport, storage });
      const log = eventLog(client);
      const username = await w.h.newUser();
      expect((await w.success(client.signIn({ username, password, flow: "password" }))).nextStep.type).toBe("done");
      expect(log.has("storageWarning")).toBe(true);
      expect(client.getSnapshot().status).toBe("signedIn");
      expect((await w.success(client.getTokens())).idToken.payload.email).toBe(username);
      expect((await w.success(getCredentials(client))).authenticated).toBe(true);
    },
  },
  {
    area: "storage",
    fault: "storage that throws on read at start",
    injection: "KeyValueStorage whose getItem throws",
    outcome: "starts signed out (no exception), warns, and a sign-in works",
    async run(w, transport) {
      const client = w.client({ transport, storage: throwingStorage(["getItem"]) });
      const log = eventLog(client);
      await w.success(client.start());
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(log.has("storageWarning")).toBe(true);
      const username = await w.h.newUser();
      expect((await w.success(client.signIn({ username, password }))).nextStep.type).toBe("done");
    },
  },
  {
    area: "storage",
    fault: "an async storage that rejects every call",
    injection: "KeyValueStorage whose calls return rejected promises",
    outcome: "starts signed out, the session lives in memory after sign-in",
    async run(w, transport) {
      const client = w.client({ transport, storage: rejectingAsyncStorage() });
      const log = eventLog(client);
      await w.success(client.start());
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(log.has("storageWarning")).toBe(true);
      const username = await w.h.newUser();
      expect((await w.success(client.signIn({ username, password }))).nextStep.type).toBe("done");
      expect(client.getSnapshot().status).toBe("signedIn");
    },
  },
  {
    area: "storage",
    fault: "corrupt session record",
    injection: "the session key holds '{ not json'",
    outcome: "reads as signed out with a storageWarning 'corrupt', the record is removed",
    async run(w, transport) {
      const storage = createMemoryStorage();
      await storage.setItem(w.h.key, "{ not json");
      const client = w.client({ transport, storage });
      const log = eventLog(client);
      await w.success(client.start());
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(log.events).toContainEqual(expect.objectContaining({ type: "storageWarning", problem: "corrupt" }));
      expect(await storage.getItem(w.h.key)).toBeNull();
    },
  },
  {
    area: "storage",
    fault: "a record of an unknown version",
    injection: "the session key holds { v: 99, ... }",
    outcome: "reads as signed out with a storageWarning 'unknownVersion'",
    async run(w, transport) {
      const storage = createMemoryStorage();
      await storage.setItem(w.h.key, JSON.stringify({ v: 99, idToken: "a", accessToken: "b" }));
      const client = w.client({ transport, storage });
      const log = eventLog(client);
      await w.success(client.start());
      expect(client.getSnapshot().status).toBe("signedOut");
      expect(log.events).toContainEqual(expect.objectContaining({ type: "storageWarning", problem: "unknownVersion" }));
      expect((await w.failure(client.getTokens())).code).toBe("ERR_NOT_SIGNED_IN");
    },
  },
  {
    area: "storage",
    fault: "a corrupt identity record",
    injection: "the identity key holds '[1,2'",
    outcome: "credentials are obtained anyway (a new GetId), never an exception",
    async run(w, transport) {
      const storage = createMemoryStorage();
      await storage.setItem(`cogkit.${w.config.identityPoolId}.identity`, "[1,2");
      const client = w.client({ transport, storage });
      credentialsOk(await w.success(getCredentials(client)));
    },
  },
];

// ---- Node file store and CLI: real processes and files against the emulator ----

/** An environment for @cogkit/node's getCredentials and the CLI, with a home of its own. */
async function nodeEnv(w: FaultWorld, extra: Record<string, string> = {}) {
  const home = await mkdtemp(join(tmpdir(), "cogkit-fault-"));
  const { emulator } = w.h;
  const env = emulatorEnv(emulator, home, "fault", extra);
  const dir = join(home, "cogkit");
  const file = join(dir, `fault.${emulator.config.userPoolClientId}.json`);
  return { home, env, dir, file, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** Makes the stored tokens and cached credentials of the profile file look expired. */
async function expireStored(w: FaultWorld, file: string) {
  const { userPoolClientId, identityPoolId } = w.h.emulator.config;
  const data = JSON.parse(await readFile(file, "utf8"));
  const key = `cogkit.${userPoolClientId}.session`;
  data.entries[key] = JSON.stringify({ ...JSON.parse(data.entries[key]), expiresAt: Date.now() - 1_000 });
  const credentialsKey = `cogkit.${identityPoolId}.credentials`;
  if (data.entries[credentialsKey]) data.entries[credentialsKey] = JSON.stringify({ ...JSON.parse(data.entries[credentialsKey]), expiration: Date.now() - 1_000 });
  await writeFile(file, JSON.stringify(data), { mode: 0o600 });
  return JSON.parse(data.entries[key]).refreshToken as string;
}

/** A profile signed in by a first `cogkit credentials` run; returns its env without the password. */
async function signedInProfile(w: FaultWorld) {
  const email = await confirmedUser(w.h.emulator);
  const profile = await nodeEnv(w, { COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
  const first = await runCli(["credentials"], profile.env);
  if (first.code !== 0) throw new Error(`first run failed: ${first.stderr}`);
  const { COGKIT_PASSWORD: _, ...withoutPassword } = profile.env;
  return { ...profile, email, env: withoutPassword };
}

/** The CLI's stated contract under any fault: exit 0 with credential JSON, or non-zero with nothing on stdout. */
function expectCliContract(run: { code: number | null; stdout: string; killed: boolean }) {
  expect(run.killed).toBe(false);
  if (run.code === 0) expect(isCredentialProcessJson(run.stdout)).toBe(true);
  else expect(run.stdout).toBe("");
}

const processRows: Row[] = [
  {
    area: "node file store",
    fault: "5xx once",
    injection: "emulator fault GetId 503 (once); @cogkit/node getCredentials with a temp dir",
    outcome: "retried; resolves with complete guest credentials saved to the profile file",
    async run(w) {
      const profile = await nodeEnv(w);
      try {
        w.h.emulator.injectFault("GetId", { status: 503 });
        const credentials = await nodeGetCredentials({ env: profile.env, transport: "fetch" });
        credentialsOk(credentials);
        expect(JSON.parse(await readFile(profile.file, "utf8")).entries).toHaveProperty([`cogkit.${w.h.emulator.config.identityPoolId}.credentials`]);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "node file store",
    fault: "5xx that outlasts the retries",
    injection: "emulator fault GetCredentialsForIdentity 503 ×4 with an expired stored session",
    outcome: "rejects with a retryable AuthError; the session (refresh token) stays in the file; the next call succeeds",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        const refreshToken = await expireStored(w, profile.file);
        w.h.emulator.injectFault("GetCredentialsForIdentity", { status: 503, times: 4 });
        const error = await nodeGetCredentials({ env: profile.env, transport: "fetch" }).then(() => undefined, (e: unknown) => e);
        expect(isAuthError(error) && error.retryable).toBe(true);
        const entry = JSON.parse(await readFile(profile.file, "utf8")).entries[w.h.key];
        expect(entry && JSON.parse(entry).refreshToken).toBe(refreshToken);
        credentialsOk(await nodeGetCredentials({ env: profile.env, transport: "fetch" }));
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "node file store",
    fault: "a corrupt session file of a signed-in profile (defect 9)",
    injection: "the profile's file overwritten with '{ not json', no password configured",
    outcome: "rejects with an AuthError that says to `cogkit login`; never a guest's credentials",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        await writeFile(profile.file, "{ not json", { mode: 0o600 });
        const { COGKIT_USERNAME: _, ...env } = profile.env;
        const result = await nodeGetCredentials({ env, transport: "fetch" }).then(
          (credentials) => ({ credentials }),
          (error: unknown) => ({ error }),
        );
        expect("credentials" in result ? `guest credentials (authenticated: ${result.credentials.authenticated})` : "rejected").toBe("rejected");
        if ("error" in result) {
          expect(isAuthError(result.error)).toBe(true);
          expect(String((result.error as Error).message)).toMatch(/cogkit login/);
        }
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "node file store",
    fault: "a missing session record of a signed-in profile (defect 9)",
    injection: "the session entry removed from the profile's file, its credentials expired, no password configured",
    outcome: "rejects with an AuthError that says to `cogkit login`; never a guest's credentials",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        await expireStored(w, profile.file);
        const data = JSON.parse(await readFile(profile.file, "utf8"));
        delete data.entries[w.h.key];
        await writeFile(profile.file, JSON.stringify(data), { mode: 0o600 });
        const { COGKIT_USERNAME: _, ...env } = profile.env;
        const result = await nodeGetCredentials({ env, transport: "fetch" }).then(
          (credentials) => ({ credentials }),
          (error: unknown) => ({ error }),
        );
        expect("credentials" in result ? `guest credentials (authenticated: ${result.credentials.authenticated})` : "rejected").toBe("rejected");
        if ("error" in result) expect(String((result.error as Error).message)).toMatch(/cogkit login/);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "node file store",
    fault: "a crashed writer's temp file (defect 8)",
    injection: "a '<profile file>.<pid>.<hex>.tmp' (the writer's own naming, of a process long gone) holding tokens left in the dir; then `cogkit logout`",
    outcome: "no *.tmp file with tokens survives the next write and the logout",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        const leftover = `${profile.file}.999999.deadbeef.tmp`;
        await writeFile(leftover, await readFile(profile.file, "utf8"), { mode: 0o600 });
        const logout = await runCli(["logout"], profile.env);
        expect(logout.code).toBe(0);
        expect((await readdir(profile.dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "node file store",
    fault: "a session file writable by others (defect 8)",
    injection: "chmod 0666 on the profile's file",
    outcome: "refused with a clear AuthError or TypeError naming the file; no credentials from it",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        await chmod(profile.file, 0o666);
        const result = await nodeGetCredentials({ env: profile.env, transport: "fetch" }).then(
          () => ({ error: undefined }),
          (error: unknown) => ({ error }),
        );
        expect(result.error === undefined ? "served credentials" : "refused").toBe("refused");
        expect(isAuthError(result.error) || result.error instanceof TypeError).toBe(true);
        expect(String((result.error as Error).message)).toContain(profile.file);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "node file store",
    fault: "a config dir that cannot be written",
    injection: "chmod 0500 on the cogkit dir of a guest profile",
    outcome: "rejects with an error (never a hang, never credentials it could not keep silently passed as cached)",
    async run(w) {
      const profile = await nodeEnv(w);
      try {
        const { mkdir } = await import("node:fs/promises");
        await mkdir(profile.dir, { recursive: true, mode: 0o700 });
        await chmod(profile.dir, 0o500);
        const result = await nodeGetCredentials({ env: profile.env, transport: "fetch" }).then(
          (credentials) => ({ credentials }),
          (error: unknown) => ({ error }),
        );
        if ("credentials" in result) credentialsOk(result.credentials);
        else expect(result.error).toBeInstanceOf(Error);
      } finally {
        await chmod(profile.dir, 0o700).catch(() => undefined);
        await profile.cleanup();
      }
    },
  },

  // ----- CLI -----
  {
    area: "cli",
    fault: "5xx once (defect 1)",
    injection: "emulator fault GetId 503 (once); cogkit credentials for a guest",
    outcome: "the retry runs (the process stays alive): exit 0 with credential_process JSON",
    async run(w) {
      const profile = await nodeEnv(w);
      try {
        w.h.emulator.injectFault("GetId", { status: 503 });
        const run = await runCli(["credentials"], profile.env);
        // Nothing about the fault; only the note that these are a guest's credentials.
        expect(run.stderr).toMatch(/^cogkit credentials: nobody is signed in, so these are guest credentials[^\n]*\n$/);
        expect(run.code).toBe(0);
        expect(isCredentialProcessJson(run.stdout)).toBe(true);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "network drop: nothing listens at the endpoint (defect 1)",
    injection: "COGKIT_*_ENDPOINT pointed at a closed port",
    outcome: "exits non-zero with a message on stderr and nothing on stdout",
    async run(w) {
      const profile = await nodeEnv(w, { COGKIT_USER_POOL_ENDPOINT: "http://127.0.0.1:9/", COGKIT_IDENTITY_POOL_ENDPOINT: "http://127.0.0.1:9/" });
      try {
        const run = await runCli(["credentials"], profile.env);
        expectCliContract(run);
        expect(run.code).not.toBe(0);
        expect(run.stderr).not.toBe("");
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "5xx that outlasts the retries",
    injection: "emulator fault GetCredentialsForIdentity 503 ×10; cogkit credentials (signed-in profile, expired cache)",
    outcome: "exit 1, nothing on stdout, and the session stays in the file",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        await expireStored(w, profile.file);
        w.h.emulator.injectFault("GetCredentialsForIdentity", { status: 503, times: 10 });
        const run = await runCli(["credentials"], profile.env);
        expectCliContract(run);
        expect(run.code).toBe(1);
        expect(JSON.parse(await readFile(profile.file, "utf8")).entries[w.h.key]).toBeDefined();
        w.h.emulator.clearFaults();
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "throttled sign-in",
    injection: "emulator fault InitiateAuth TooManyRequestsException ×10; cogkit credentials with username and password",
    outcome: "exit 1 (a failure, not a refused sign-in), nothing on stdout",
    async run(w) {
      const email = await confirmedUser(w.h.emulator);
      const profile = await nodeEnv(w, { COGKIT_USERNAME: email, COGKIT_PASSWORD: password });
      try {
        w.h.emulator.injectFault("InitiateAuth", { error: "TooManyRequestsException", times: 10 });
        const run = await runCli(["credentials"], profile.env);
        expectCliContract(run);
        expect(run.code).toBe(1);
        w.h.emulator.clearFaults();
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "refresh refused (definitive)",
    injection: "emulator fault GetTokensFromRefreshToken NotAuthorizedException; expired stored tokens",
    outcome: "exit 3 (session ended, run cogkit login), nothing on stdout",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        await expireStored(w, profile.file);
        w.h.emulator.injectFault("GetTokensFromRefreshToken", { error: "NotAuthorizedException", message: "Refresh Token has been revoked" });
        const run = await runCli(["credentials"], profile.env);
        expectCliContract(run);
        expect(run.code).toBe(3);
        expect(run.stderr).toMatch(/cogkit login/);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "refresh failing transiently",
    injection: "emulator fault GetTokensFromRefreshToken 503 ×10; expired stored tokens",
    outcome: "exit 1, nothing on stdout, the refresh token kept in the file; the next run succeeds",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        const refreshToken = await expireStored(w, profile.file);
        w.h.emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 10 });
        const run = await runCli(["credentials"], profile.env);
        expectCliContract(run);
        expect(run.code).toBe(1);
        const entry = JSON.parse(await readFile(profile.file, "utf8")).entries[w.h.key];
        expect(entry && JSON.parse(entry).refreshToken).toBe(refreshToken);
        w.h.emulator.clearFaults();
        const again = await runCli(["credentials"], profile.env);
        expect(again.code).toBe(0);
        expect(isCredentialProcessJson(again.stdout)).toBe(true);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "a corrupt session file of a signed-in profile (defect 9)",
    injection: "the profile's file overwritten with '{ not json'; no username or password configured",
    outcome: "exit 3 with a message to run cogkit login, nothing on stdout (never a guest's credentials)",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        await writeFile(profile.file, "{ not json", { mode: 0o600 });
        const { COGKIT_USERNAME: _, ...env } = profile.env;
        const run = await runCli(["credentials"], env);
        expectCliContract(run);
        expect(run.code).toBe(3);
        expect(run.stderr).toMatch(/cogkit login/);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "deleted identity",
    injection: "emulator.deleteIdentity(the profile's identity); expired cached credentials",
    outcome: "exit 0 with credential JSON for a new identity",
    async run(w) {
      const profile = await signedInProfile(w);
      try {
        for (const identity of w.h.emulator.identities()) w.h.emulator.deleteIdentity(identity.identityId);
        await expireStored(w, profile.file);
        const run = await runCli(["credentials"], profile.env);
        expect(run.code).toBe(0);
        expect(isCredentialProcessJson(run.stdout)).toBe(true);
      } finally {
        await profile.cleanup();
      }
    },
  },
  {
    area: "cli",
    fault: "an unexpected argument that may be a password (defect 11)",
    injection: "cogkit login 'Hunter2-secret!'",
    outcome: "exit 2 (usage), the argument is not echoed on stdout or stderr",
    async run(w) {
      const profile = await nodeEnv(w);
      try {
        const run = await runCli(["login", "Hunter2-secret!"], profile.env);
        expect(run.code).toBe(2);
        expect(run.stdout + run.stderr).not.toContain("Hunter2-secret!");
      } finally {
        await profile.cleanup();
      }
    },
  },
];

// ---- running the matrix ----

const cases = [...rows, ...processRows].flatMap((row) =>
  (row.transports ?? ["fetch" as const]).map((transport) => ({ ...row, transport, name: `${row.area} | ${row.fault} [${transport}] → ${row.outcome}` })),
);

describe("the fault matrix", () => {
  it("has at least 40 rows across sign-in, refresh, credentials, sign-out, Node file store and CLI", () => {
    expect(rows.length + processRows.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((row) => row.area))).toEqual(new Set(["sign-in", "refresh", "credentials", "sign-out", "storage", "node file store", "cli"]));
  });

  for (const area of ["sign-in", "refresh", "credentials", "sign-out", "storage", "node file store", "cli"] as const) {
    describe(area, () => {
      for (const row of cases.filter((each) => each.area === area)) {
        it(row.name, { timeout: 60_000 }, async () => {
          harness = await startHarness(row.emulator);
          if (row.skewMs) {
            // The client's clock runs `skewMs` off the emulator's; both move together.
            const clock = createTestClock(harness.emulator.now() + row.skewMs);
            const { emulator } = harness;
            harness = { ...harness, clock, advance: async (ms: number) => (emulator.advanceTime(ms), await clock.advance(ms)) };
          }
          world = faultWorld(harness);
          trap.take();
          await row.run(world, row.transport);
          // Whatever the row left pending gets a moment to fail loudly before the trap is read.
          for (let turn = 0; turn < 5; turn++) await realTurn();
          expect(trap.take()).toEqual([]);
        });
      }
    });
  }
});
