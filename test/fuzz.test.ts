// Property-based fuzz of issue 10: every public function of @cogkit/core with arbitrary
// input, and the sign-in, refresh and credentials paths with arbitrary server answers. A call
// may resolve, or fail with an AuthError or a TypeError — never another error, never a hang
// (settled by moving a test clock, see test/fuzz-support.ts), never an unhandled rejection
// (the root setup file traps those per test). fast-check prints the seed and the shrunk
// counterexample of a failing property; re-run with COGKIT_FUZZ_SEED=<seed> to reproduce it.
import fc from "fast-check";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as core from "@cogkit/core";
import {
  type AuthClient,
  type AuthConfig,
  createAuthClient,
  createMemoryStorage,
  getCredentials,
  isAuthError,
} from "@cogkit/core";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
import { type Emulator, startEmulator } from "@cogkit/emulator";
import { createTestClock, type TestClock } from "../packages/core/test/test-clock.js";
import {
  type Answer,
  answerTo,
  describeEnding,
  type Ending,
  endingOf,
  isAllowedError,
  loose,
  materialiseSignal,
  methodInput,
  serveAnswers,
  signalish,
  stormCap,
} from "./fuzz-support.js";

// CI runs one fixed seed, so a landing never depends on the draw; anywhere else each run draws
// a new one and explores further. COGKIT_FUZZ_SEED replays a seed fast-check printed.
const seed = process.env.COGKIT_FUZZ_SEED ?? (process.env.CI ? "20261204" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The ending is allowed: a value, or an AuthError/TypeError thrown or rejected; never a hang. */
function expectAllowed(ending: Ending, what: string) {
  if (ending.kind === "value") return;
  if (ending.kind === "hang") throw new Error(`${what}: never settled (hang)`);
  if (!isAllowedError(ending.error)) throw new Error(`${what}: ended in ${describeEnding(ending)}`);
}

// ---- (1) every public function with arbitrary input ----

describe("fuzz: every public function of @cogkit/core with arbitrary input", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());

  const configField = fc.oneof(loose, fc.constantFrom("us-east-1", "us-east-1_abc123", "1example", "us-east-1:00000000-0000-0000-0000-000000000000", "http://127.0.0.1:1"));
  const arbitraryConfig = fc.oneof(
    fc.record(
      {
        region: configField,
        userPoolId: configField,
        userPoolClientId: configField,
        identityPoolId: configField,
        userPoolEndpoint: configField,
        identityPoolEndpoint: configField,
        clientSecret: configField,
        allowGuestAccess: fc.oneof(fc.boolean(), loose),
        loginWith: fc.oneof(fc.record({ email: fc.oneof(fc.boolean(), loose), phone: loose, username: loose, externalProviders: loose }, { requiredKeys: [] }), loose),
        userAttributes: fc.oneof(fc.dictionary(fc.string({ maxLength: 16 }), fc.oneof(fc.record({ required: loose, mutable: loose, dataType: loose }, { requiredKeys: [] }), loose), { maxKeys: 3 }), loose),
        groups: loose,
        passwordPolicy: loose,
        multifactor: loose,
      },
      { requiredKeys: [] },
    ),
    loose,
  );

  it("defineAuth, validateConfig, validatePoolSettings and createAuthClient take any config: a value, an AuthError or a TypeError", async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryConfig, loose, async (config, options) => {
        for (const [name, run] of [
          ["defineAuth", () => core.defineAuth(config as never)],
          ["validateConfig", () => core.validateConfig(config as never)],
          ["validatePoolSettings", () => core.validatePoolSettings(config as never)],
          ["createAuthClient", () => createAuthClient(config as never, options as never).dispose()],
        ] as const) {
          expectAllowed(await endingOf(run), name);
        }
      }),
      { numRuns: 200 },
    );
  });

  type Call = (client: AuthClient, input: unknown) => unknown;
  const calls: Record<string, Call> = {
    signUp: (client, input) => client.signUp(input as never),
    confirmSignUp: (client, input) => client.confirmSignUp(input as never),
    resendSignUpCode: (client, input) => client.resendSignUpCode(input as never),
    signIn: (client, input) => client.signIn(input as never),
    confirmSignIn: (client, input) => client.confirmSignIn(input as never),
    signOut: (client, input) => client.signOut(input as never),
    getTokens: (client, input) => client.getTokens(input as never),
    subscribe: (client, input) => client.subscribe(input as never)(),
    getSnapshot: (client) => client.getSnapshot(),
    start: (client) => client.start(),
    stop: (client) => client.stop(),
    getCredentials: (client, input) => core.getCredentials(client, input as never),
    getIdentityId: (client, input) => core.getIdentityId(client, input as never),
    federate: (client, input) => core.federate(client, input as never),
    clearFederation: (client) => core.clearFederation(client),
    forgotPassword: (client, input) => core.forgotPassword(client, input as never),
    confirmForgotPassword: (client, input) => core.confirmForgotPassword(client, input as never),
    changePassword: (client, input) => core.changePassword(client, input as never),
    setUpTotp: (client, input) => core.setUpTotp(client, input as never),
    verifyTotpSetup: (client, input) => core.verifyTotpSetup(client, input as never),
    updateMfaPreference: (client, input) => core.updateMfaPreference(client, input as never),
  };

  /** Puts real signals where the arbitrary asked for them. */
  function materialise(input: unknown): unknown {
    if (input && typeof input === "object" && !Array.isArray(input) && "signal" in input) {
      return { ...(input as object), signal: materialiseSignal((input as { signal: unknown }).signal) };
    }
    return input;
  }

  let users = 0;
  async function clientFor(signedIn: boolean, transport: "fetch" | "aws-sdk"): Promise<{ client: AuthClient; clock: TestClock }> {
    const clock = createTestClock(emulator.now());
    const client = createAuthClient(emulator.config, {
      platform: { clock, storage: createMemoryStorage(), broadcast: () => undefined },
      transport: transport === "aws-sdk" ? createAwsSdkTransport(emulator.config) : undefined,
    });
    if (signedIn) {
      const username = `fuzz${++users}.${Date.now()}@example.com`;
      const password = "Corr3ct-Horse!";
      await client.signUp({ username, password });
      await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
      await client.signIn({ username, password, flow: "password" });
    }
    return { client, clock };
  }

  it("each client method and standalone function with arbitrary input, signed in or not: a value, an AuthError or a TypeError, never a hang", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(calls)),
        methodInput,
        fc.boolean(),
        fc.constantFrom("fetch" as const, "aws-sdk" as const),
        async (name, input, signedIn, transport) => {
          const { client, clock } = await clientFor(signedIn, transport);
          try {
            expectAllowed(await endingOf(() => calls[name]!(client, materialise(input)), clock), name);
          } finally {
            client.dispose();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the standalone functions given something that is not a client throw a TypeError", async () => {
    const standalone = ["getCredentials", "getIdentityId", "federate", "clearFederation", "forgotPassword", "confirmForgotPassword", "changePassword", "setUpTotp", "verifyTotpSetup", "updateMfaPreference"] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...standalone), loose, methodInput, async (name, notClient, input) => {
        const ending = await endingOf(() => (core[name] as (a: unknown, b: unknown) => unknown)(notClient, materialise(input)));
        expectAllowed(ending, name);
        expect(ending.kind).not.toBe("value");
      }),
      { numRuns: 100 },
    );
  });

  it("the other exports (SRP maths, storage factories, login keys, error helpers) with arbitrary arguments: a value, an AuthError or a TypeError", async () => {
    const exports = Object.entries(core).filter(
      ([name, value]) =>
        typeof value === "function" &&
        // Classes and what the properties above cover.
        !["AuthError", "createAuthClient", "defineAuth", "validateConfig", "validatePoolSettings", ...Object.keys(calls)].includes(name),
    ) as Array<[string, (...args: unknown[]) => unknown]>;
    const argument = fc.oneof(loose, fc.bigInt({ min: -(2n ** 64n), max: 2n ** 256n }), fc.constantFrom(0n, 1n, 2n, -1n));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...exports), fc.array(argument, { maxLength: 4 }), async ([name, fn], args) => {
        expectAllowed(await endingOf(() => fn(...args), undefined, 200), name);
      }),
      { numRuns: 200 },
    );
  });
});

// ---- (2) arbitrary server answers ----

const fakeConfig: AuthConfig = {
  region: "us-east-1",
  userPoolId: "us-east-1_Fuzz12345",
  userPoolClientId: "fuzzclient1234567890abcdef",
  identityPoolId: "us-east-1:00000000-0000-4000-8000-000000000000",
  userPoolEndpoint: "http://idp.fuzz.test",
  identityPoolEndpoint: "http://identity.fuzz.test",
  allowGuestAccess: true,
};
const refused: Answer = { status: 400, contentType: "application/x-amz-json-1.1", body: JSON.stringify({ __type: "InvalidParameterException", message: "not in this fuzz" }) };

function fakeClient(transport: "fetch" | "aws-sdk", storage = createMemoryStorage(), clock = createTestClock()) {
  const client = createAuthClient(fakeConfig, {
    platform: { clock, storage, broadcast: () => undefined },
    transport: transport === "aws-sdk" ? createAwsSdkTransport(fakeConfig) : undefined,
  });
  return { client, clock };
}

const base64url = (text: string) => Buffer.from(text).toString("base64url");
/** A session record with unsigned tokens valid for an hour on `clock`: a signed-in client without a sign-in. */
function storedSession(clock: TestClock) {
  const now = clock.now();
  const jwt = (claims: object) => `${base64url('{"alg":"RS256","kid":"k"}')}.${base64url(JSON.stringify(claims))}.c2ln`;
  const claims = { sub: "00000000-0000-4000-8000-000000000001", iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 3600, username: "fuzz" };
  const storage = createMemoryStorage();
  storage.setItem(
    `cogkit.${fakeConfig.userPoolClientId}.session`,
    JSON.stringify({ v: 1, idToken: jwt({ ...claims, token_use: "id", email: "fuzz@example.com" }), accessToken: jwt({ ...claims, token_use: "access" }), refreshToken: "refresh-token", expiresAt: now + 3_600_000, issuedAt: now, clockDrift: 0, savedAt: now }),
  );
  return storage;
}

/** A server answer's outcome is allowed: success, or an AuthError — not even a TypeError (the caller did nothing wrong). */
function expectAuthErrorOrValue(ending: Ending, what: string) {
  if (ending.kind === "value") return;
  if (ending.kind === "hang") throw new Error(`${what}: never settled (hang)`);
  if (!isAuthError(ending.error)) throw new Error(`${what}: ended in ${describeEnding(ending)}`);
}

const answers = (operation: string) => fc.array(answerTo(operation), { minLength: 1, maxLength: 3 });
const transportArb = fc.constantFrom("fetch" as const, "aws-sdk" as const);

describe("fuzz: arbitrary server answers on the sign-in, refresh and credentials paths", () => {
  it("sign-in ends in an AuthError or a next step (signed in only with usable tokens), whatever InitiateAuth and RespondToAuthChallenge answer", async () => {
    await fc.assert(
      fc.asyncProperty(transportArb, answers("InitiateAuth"), answers("RespondToAuthChallenge"), fc.constantFrom("srp" as const, "password" as const), async (transport, initiate, respond, flow) => {
        server.resetHandlers();
        serveAnswers(server, fakeConfig.userPoolEndpoint!, { InitiateAuth: initiate, RespondToAuthChallenge: respond }, refused);
        const { client, clock } = fakeClient(transport);
        try {
          const ending = await endingOf(() => client.signIn({ username: "fuzz@example.com", password: "Corr3ct-Horse!", flow }), clock);
          expectAuthErrorOrValue(ending, "signIn");
          if (ending.kind === "value") {
            const { nextStep } = ending.value as { nextStep: { type: string } };
            expect(typeof nextStep.type).toBe("string");
            if (nextStep.type === "done") {
              // No silent success: signed in means tokens a caller can use.
              expect(client.getSnapshot().status).toBe("signedIn");
              const tokens = await endingOf(() => client.getTokens(), clock);
              expectAuthErrorOrValue(tokens, "getTokens after sign-in");
            } else {
              // A next step may be answered with anything the caller types.
              expectAuthErrorOrValue(await endingOf(() => client.confirmSignIn({ challengeResponse: "123456" }), clock), "confirmSignIn");
            }
          }
          expect(["signedIn", "signedOut"]).toContain(client.getSnapshot().status);
        } finally {
          client.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a refresh ends in an AuthError or fresh tokens, whatever GetTokensFromRefreshToken answers, and the session is never stuck", async () => {
    await fc.assert(
      fc.asyncProperty(transportArb, answers("GetTokensFromRefreshToken"), answers("InitiateAuth"), async (transport, refresh, legacy) => {
        server.resetHandlers();
        const calls = serveAnswers(server, fakeConfig.userPoolEndpoint!, { GetTokensFromRefreshToken: refresh, InitiateAuth: legacy }, refused);
        const clock = createTestClock();
        const { client } = fakeClient(transport, storedSession(clock), clock);
        try {
          const ending = await endingOf(() => client.getTokens({ forceRefresh: true }), clock);
          expectAuthErrorOrValue(ending, "getTokens({ forceRefresh: true })");
          if (ending.kind === "value") expect(typeof (ending.value as { idToken: { jwt: unknown } }).idToken.jwt).toBe("string");
          // No storm: whatever the answer, the client does not refresh again and again without waiting.
          if (calls.length >= stormCap) throw new Error(`refresh storm: ${calls.length} calls (${[...new Set(calls)].join(", ")}) for one getTokens call`);
          expect(["signedIn", "signedOut"]).toContain(client.getSnapshot().status);
          // And a later plain call settles as well.
          expectAuthErrorOrValue(await endingOf(() => client.getTokens(), clock), "getTokens");
        } finally {
          client.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("credentials end in an AuthError or complete credentials, whatever GetId and GetCredentialsForIdentity answer", async () => {
    await fc.assert(
      fc.asyncProperty(transportArb, answers("GetId"), answers("GetCredentialsForIdentity"), fc.boolean(), async (transport, getId, credentials, signedIn) => {
        server.resetHandlers();
        serveAnswers(server, fakeConfig.identityPoolEndpoint!, { GetId: getId, GetCredentialsForIdentity: credentials }, refused);
        serveAnswers(server, fakeConfig.userPoolEndpoint!, {}, refused);
        const clock = createTestClock();
        const { client } = fakeClient(transport, signedIn ? storedSession(clock) : createMemoryStorage(), clock);
        try {
          const ending = await endingOf(() => getCredentials(client), clock);
          expectAuthErrorOrValue(ending, "getCredentials");
          if (ending.kind === "value") {
            // No silent success: every field a signer needs, and an expiry that is a real date.
            const value = ending.value as core.AwsCredentials;
            for (const key of ["accessKeyId", "secretAccessKey", "sessionToken", "identityId"] as const) expect(value[key]).toMatch(/./);
            expect(value.expiration).toBeInstanceOf(Date);
            expect(Number.isFinite(value.expiration!.getTime())).toBe(true);
            expect(value.authenticated).toBe(signedIn);
          }
          expectAuthErrorOrValue(await endingOf(() => core.getIdentityId(client), clock), "getIdentityId");
        } finally {
          client.dispose();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("an arbitrary signal on each credentials call: ERR_ABORTED, TypeError, a value or another AuthError, never a hang", async () => {
    await fc.assert(
      fc.asyncProperty(transportArb, answers("GetId"), answers("GetCredentialsForIdentity"), signalish, async (transport, getId, credentials, signal) => {
        server.resetHandlers();
        serveAnswers(server, fakeConfig.identityPoolEndpoint!, { GetId: getId, GetCredentialsForIdentity: credentials }, refused);
        const clock = createTestClock();
        const { client } = fakeClient(transport, createMemoryStorage(), clock);
        try {
          expectAllowed(await endingOf(() => getCredentials(client, { signal: materialiseSignal(signal) as AbortSignal }), clock), "getCredentials");
          expectAllowed(await endingOf(() => core.getIdentityId(client, { signal: materialiseSignal(signal) as AbortSignal }), clock), "getIdentityId");
        } finally {
          client.dispose();
        }
      }),
      { numRuns: 100 },
    );
  });
});
