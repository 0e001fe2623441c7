// The credentials journey against the emulator over real HTTP, once per transport.
import { createRequire } from "node:module";
import { startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsSdkTransport } from "../aws-sdk.js";
import { type AuthClient, createAuthClient } from "../client.js";
import type { AuthConfig } from "../config.js";
import { isAuthError } from "../errors.js";
import { createMemoryStorage } from "../platform/memory-storage.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { KeyValueStorage } from "../platform/types.js";
import { createTestClock, settle, type TestClock } from "../../test/test-clock.js";
import type { AwsCredentials } from "./credentials-manager.js";
import { clearFederation, federate, getCredentials, getIdentityId } from "./get-credentials.js";
import { identityStoreKey } from "./identity-store.js";

// Core does not depend on these AWS SDK packages; the emulator's tests do, so borrow them
// (typed here by the little that is used).
const emulatorRequire = createRequire(new URL("../../../emulator/package.json", import.meta.url));
const { STSClient, GetCallerIdentityCommand } = emulatorRequire("@aws-sdk/client-sts") as {
  STSClient: new (config: object) => { send(command: unknown): Promise<{ Arn?: string }> };
  GetCallerIdentityCommand: new (input: object) => unknown;
};
const { fromCognitoIdentityPool } = emulatorRequire("@aws-sdk/credential-provider-cognito-identity") as {
  fromCognitoIdentityPool(options: {
    identityPoolId: string;
    logins?: Record<string, string>;
    clientConfig?: object;
  }): () => Promise<{ identityId: string; accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const password = "Corr3ct-Horse!";
const margin = 5 * 60_000;
let counter = 0;
const newEmail = () => `cred${++counter}.${Date.now()}@example.com`;

const transports = [
  { name: "fetch", make: (_: AuthConfig) => undefined },
  { name: "aws-sdk", make: (config: AuthConfig) => createAwsSdkTransport(config) },
];

describe.each(transports)("credentials from the emulator over the $name transport", ({ make }) => {
  let emulator: Emulator;
  let clock: TestClock;

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    // The client's clock follows the emulator's, and both move only when a test says so.
    clock = createTestClock(emulator.now());
  });

  /** What reached the identity pool: recorded at the transport seam, then sent for real. */
  const sent: Array<{ operation: string; logins: unknown }> = [];
  /** Every identity-pool request's answer, settled either way. */
  const answers: Array<Promise<unknown>> = [];
  const clientFor = (storage: KeyValueStorage = createMemoryStorage(), config: AuthConfig = emulator.config) => {
    // The fetch transport keeps real timers for its time limit: on the test clock, a long
    // advance would fire it while a request is still on the wire.
    const transport = make(config) ?? createFetchTransport(config);
    return createAuthClient(config, {
      transport: {
        userPool: transport.userPool,
        identityPool(operation, input, options) {
          const answer = transport.identityPool(operation, input, options);
          sent.push({ operation, logins: (input as { Logins?: unknown }).Logins });
          answers.push(answer.catch(() => undefined));
          return answer;
        },
      },
      platform: { storage, clock },
    });
  };

  async function advance(ms: number) {
    emulator.advanceTime(ms);
    await clock.advance(ms);
  }

  async function newUser() {
    const email = newEmail();
    const client = clientFor();
    await client.signUp({ username: email, password, attributes: { email } });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    return email;
  }

  const calls = () => ({ GetId: emulator.callCount("GetId"), GetCredentialsForIdentity: emulator.callCount("GetCredentialsForIdentity") });
  function callsSince(before: ReturnType<typeof calls>) {
    const now = calls();
    return { GetId: now.GetId - before.GetId, GetCredentialsForIdentity: now.GetCredentialsForIdentity - before.GetCredentialsForIdentity };
  }

  /** The role STS sees when an AWS SDK v3 client signs with these credentials. */
  async function roleOf(credentials: object | (() => Promise<AwsCredentials>)) {
    const sts = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials, maxAttempts: 1 });
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    return Arn!.replace(/^arn:aws:sts::\d+:assumed-role\/([^/]+)\/.*$/, "$1");
  }

  async function failure(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${String(error)}`);
    return error;
  }

  it("goes guest → sign-in → refresh → sign-out → guest with the identities Cognito would keep", async () => {
    const email = await newUser();
    const storage = createMemoryStorage();
    const client = clientFor(storage);
    const stored = async () => JSON.parse((await storage.getItem(identityStoreKey(emulator.config.identityPoolId!)))!);

    let before = calls();
    const guest = await getCredentials(client);
    expect(guest.authenticated).toBe(false);
    expect(callsSince(before)).toEqual({ GetId: 1, GetCredentialsForIdentity: 1 });
    expect(guest.expiration.getTime()).toBe(Math.floor(emulator.now() / 1000) * 1000 + 3600_000);
    expect(await roleOf(guest)).toBe("Cognito_EmulatorUnauth_Role");
    expect(await stored()).toEqual({ v: 1, id: guest.identityId, subject: null });

    // Signing in carries the guest identity over: its login was linked to no identity yet.
    await client.signIn({ username: email, password });
    before = calls();
    const signedIn = await getCredentials(client);
    expect(signedIn).toMatchObject({ identityId: guest.identityId, authenticated: true });
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 1 });
    expect(await roleOf(() => getCredentials(client))).toBe("Cognito_EmulatorAuth_Role");
    expect(emulator.identities().find((i) => i.identityId === guest.identityId)?.logins).toEqual([emulator.userPoolLoginKey]);

    // A refreshed id token keeps the credentials until due; renewing them sends the new token.
    await advance(60_000);
    const refreshedToken = (await client.getTokens({ forceRefresh: true })).idToken.jwt;
    before = calls();
    expect(await getCredentials(client)).toBe(signedIn);
    sent.length = 0;
    const refreshed = await getCredentials(client, { forceRefresh: true });
    expect(refreshed).not.toBe(signedIn);
    expect(refreshed.identityId).toBe(guest.identityId);
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 1 });
    expect(sent).toEqual([{ operation: "GetCredentialsForIdentity", logins: { [emulator.userPoolLoginKey]: refreshedToken } }]);

    // Sign-out drops the user's credentials and identity: a fresh guest follows.
    await client.signOut();
    expect(await storage.getItem(identityStoreKey(emulator.config.identityPoolId!))).toBeNull();
    before = calls();
    const nextGuest = await getCredentials(client);
    expect(nextGuest.authenticated).toBe(false);
    expect(nextGuest.identityId).not.toBe(guest.identityId);
    expect(callsSince(before)).toEqual({ GetId: 1, GetCredentialsForIdentity: 1 });
    expect(await roleOf(nextGuest)).toBe("Cognito_EmulatorUnauth_Role");

    // Signing in again merges that guest into the user's identity, which is the one kept.
    await client.signIn({ username: email, password });
    const again = await getCredentials(client);
    expect(again.identityId).toBe(guest.identityId);
    expect(await stored()).toEqual({ v: 1, id: guest.identityId, subject: expect.stringContaining(emulator.userPoolLoginKey) });
    expect(emulator.identities().find((i) => i.identityId === nextGuest.identityId)).toMatchObject({ status: "merged", mergedInto: guest.identityId });
    expect(await getIdentityId(client)).toBe(guest.identityId);
  });

  it("makes exactly one GetId and one GetCredentialsForIdentity for 100 cold callers, none for 10,000 cached ones, one past expiry − margin", async () => {
    const client = clientFor();
    let before = calls();
    const all = await Promise.all(Array.from({ length: 100 }, () => getCredentials(client)));
    expect(new Set(all).size).toBe(1);
    expect(callsSince(before)).toEqual({ GetId: 1, GetCredentialsForIdentity: 1 });

    before = calls();
    for (let i = 0; i < 10_000; i++) await getCredentials(client);
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 0 });

    await advance(all[0]!.expiration.getTime() - margin - clock.now() - 1000);
    expect(await getCredentials(client)).toBe(all[0]);
    await advance(1000);
    const renewed = await Promise.all([getCredentials(client), getCredentials(client)]);
    expect(renewed[0]).not.toBe(all[0]);
    expect(renewed[0]!.identityId).toBe(all[0]!.identityId);
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 1 });
  });

  it("renews a signed-in user's credentials once past expiry − margin, and not again for the session's refresh", async () => {
    const email = await newUser();
    const client = clientFor();
    await client.signIn({ username: email, password });
    const first = await getCredentials(client);
    const refreshes = emulator.callCount("GetTokensFromRefreshToken");
    const before = calls();
    for (let i = 0; i < 1_000; i++) await getCredentials(client);
    sent.length = 0;
    await advance(first.expiration.getTime() - margin - clock.now());
    const renewed = await Promise.all(Array.from({ length: 10 }, () => getCredentials(client)));
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).toMatchObject({ identityId: first.identityId, authenticated: true });
    // Both fell due about together: the session refreshed once, and one exchange sufficed.
    await advance(2 * 60_000);
    expect(await getCredentials(client)).toBe(renewed[0]);
    expect(emulator.callCount("GetTokensFromRefreshToken")).toBe(refreshes + 1);
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 1 });
    expect(sent).toEqual([{ operation: "GetCredentialsForIdentity", logins: { [emulator.userPoolLoginKey]: expect.any(String) } }]);
  });

  it("takes 4 round trips from a cold sign-in to credentials, 3 once the identity id is known", async () => {
    const email = await newUser();
    const storage = createMemoryStorage();
    const count = () => ["InitiateAuth", "RespondToAuthChallenge", "GetId", "GetCredentialsForIdentity"].reduce((n, op) => n + emulator.callCount(op), 0);
    let before = count();
    const first = clientFor(storage);
    await first.signIn({ username: email, password });
    await getCredentials(first);
    expect(count() - before).toBe(4);

    // A returning user whose session is gone but whose identity id is stored.
    const key = identityStoreKey(emulator.config.identityPoolId!);
    const returning = createMemoryStorage();
    await returning.setItem(key, (await storage.getItem(key))!);
    const second = clientFor(returning);
    before = count();
    await second.signIn({ username: email, password });
    await getCredentials(second);
    expect(count() - before).toBe(3);
  });

  it("obtains a deleted identity again, once, and replaces a disabled guest identity", async () => {
    const client = clientFor();
    const first = await getCredentials(client);
    emulator.deleteIdentity(first.identityId);
    const before = calls();
    const second = await getCredentials(client, { forceRefresh: true });
    expect(second.identityId).not.toBe(first.identityId);
    expect(callsSince(before)).toEqual({ GetId: 1, GetCredentialsForIdentity: 2 });

    emulator.disableIdentity(second.identityId);
    const third = await getCredentials(client, { forceRefresh: true });
    expect(third.identityId).not.toBe(second.identityId);
    expect(third.authenticated).toBe(false);
  });

  it("retries throttling and 500s with backoff on the client's clock, keeping the identity", async () => {
    const client = clientFor();
    const first = await getCredentials(client);
    emulator.injectFault("GetCredentialsForIdentity", { error: "TooManyRequestsException" });
    emulator.injectFault("GetCredentialsForIdentity", { status: 500 });
    const before = calls();
    const started = clock.now();
    const pending = getCredentials(client, { forceRefresh: true });
    let done = false;
    pending.then(
      () => (done = true),
      () => (done = true),
    );
    // Answers come over real HTTP; the backoff waits only for this clock. (The transport's
    // 15 s time limit runs on the same clock and is never reached.)
    while (!done) {
      await settle();
      const at = clock.nextTimerAt();
      if (at !== undefined && at - clock.now() <= 3_000) await clock.advanceTo(at);
    }
    expect((await pending).identityId).toBe(first.identityId);
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 3 });
    expect(clock.now() - started).toBeGreaterThanOrEqual(100 + 200);
  });

  it("federates a Google user without the user pool, and returns to a fresh guest after clearFederation", async () => {
    const client = clientFor();
    const guest = await getCredentials(client);
    const token = await emulator.providers.google.mintToken({ sub: `g-${Date.now()}` });
    const google = await federate(client, { provider: "google", token });
    expect(google).toMatchObject({ authenticated: true, identityId: guest.identityId });
    expect(emulator.identities().find((i) => i.identityId === guest.identityId)?.logins).toEqual(["accounts.google.com"]);
    expect(await roleOf(google)).toBe("Cognito_EmulatorAuth_Role");
    expect(await getCredentials(client)).toBe(google);

    await clearFederation(client);
    const after = await getCredentials(client);
    expect(after.authenticated).toBe(false);
    expect(after.identityId).not.toBe(guest.identityId);
  });

  it("federates an OIDC user under the issuer's host", async () => {
    const client = clientFor();
    const issuer = emulator.providers.oidc.issuer;
    const credentials = await federate(client, { provider: { oidc: issuer }, token: await emulator.providers.oidc.mintToken({ sub: "worker-7" }) });
    expect(emulator.identities().find((i) => i.identityId === credentials.identityId)?.logins).toEqual([issuer.replace(/^https?:\/\//, "")]);
  });

  it("keeps the previous state when federation is refused", async () => {
    const client = clientFor();
    const error = await failure(federate(client, { provider: "google", token: "not-a-google-token" }));
    expect(error.code).toBe("ERR_NOT_AUTHORIZED");
    expect((await getCredentials(client)).authenticated).toBe(false);
  });

  it("says ERR_GUEST_ACCESS_DISABLED for a guest when allowGuestAccess is off", async () => {
    const before = calls();
    const error = await failure(getCredentials(clientFor(createMemoryStorage(), { ...emulator.config, allowGuestAccess: false })));
    expect(error.code).toBe("ERR_GUEST_ACCESS_DISABLED");
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 0 });
  });

  it("gets the same identity id as the AWS SDK's fromCognitoIdentityPool for the same logins", async () => {
    const email = await newUser();
    const client = clientFor();
    await client.signIn({ username: email, password });
    const ours = await getCredentials(client);
    const logins = { [emulator.userPoolLoginKey]: (await client.getTokens()).idToken.jwt };
    const theirs = await fromCognitoIdentityPool({
      identityPoolId: emulator.config.identityPoolId!,
      logins,
      clientConfig: { region: emulator.config.region, endpoint: emulator.url },
    })();
    expect(theirs.identityId).toBe(ours.identityId);
    expect(await roleOf(theirs)).toBe(await roleOf(ours));
  });

  /** Rejections no handler took while `body` ran and every identity-pool request it sent was answered. */
  async function unhandledRejectionsOf(body: () => Promise<void>): Promise<unknown[]> {
    const seen: unknown[] = [];
    const trap = (reason: unknown) => void seen.push(reason);
    process.on("unhandledRejection", trap);
    try {
      answers.length = 0;
      await body();
      await Promise.all(answers);
      // Node reports an unhandled rejection once the microtasks after it have run.
      await settle();
      await settle();
    } finally {
      process.off("unhandledRejection", trap);
    }
    return seen;
  }

  it("rejects at once with ERR_ABORTED for an already aborted signal, sends nothing and leaves no unhandled rejection", async () => {
    const client = clientFor();
    // Were a request sent, it would fail: a failure nobody awaits must not reach the process.
    emulator.injectFault("GetId", { error: "NotAuthorizedException", times: 2 });
    try {
      const before = calls();
      const seen = await unhandledRejectionsOf(async () => {
        expect((await failure(getCredentials(client, { signal: AbortSignal.abort() }))).code).toBe("ERR_ABORTED");
        expect((await failure(getIdentityId(client, { signal: AbortSignal.abort() }))).code).toBe("ERR_ABORTED");
      });
      expect(seen).toEqual([]);
      expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 0 });
    } finally {
      emulator.clearFaults();
    }
  });

  it("rejects a caller who aborts mid-request while the shared request fails for nobody, unhandled by no one", async () => {
    const client = clientFor();
    emulator.injectFault("GetId", { error: "NotAuthorizedException" });
    const controller = new AbortController();
    const seen = await unhandledRejectionsOf(async () => {
      const pending = getCredentials(client, { signal: controller.signal });
      while (answers.length === 0) await settle();
      controller.abort(new Error("user left the page"));
      const error = await failure(pending);
      expect(error.code).toBe("ERR_ABORTED");
      expect((error.cause as Error).message).toBe("user left the page");
    });
    expect(seen).toEqual([]);
  });

  it("sends no identity-pool request for a caller who aborted while the logins waited for a token refresh", async () => {
    const email = await newUser();
    const client = clientFor();
    await client.signIn({ username: email, password });
    await getCredentials(client);
    // Past the session's refresh margin and the credentials' renewal: both must be renewed.
    await advance(3600_000 - 60_000);
    const controller = new AbortController();
    const before = calls();
    const seen = await unhandledRejectionsOf(async () => {
      const pending = getCredentials(client, { signal: controller.signal });
      controller.abort();
      expect((await failure(pending)).code).toBe("ERR_ABORTED");
      // The refresh goes on (the session needs it); the identity pool hears nothing of the aborted call.
      await client.getTokens();
      await settle();
    });
    expect(seen).toEqual([]);
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 0 });
  });

  it("throws a TypeError at once, sending nothing, when `signal` is not an AbortSignal", () => {
    const client = clientFor();
    const before = calls();
    for (const signal of ["abort", {}, { aborted: false }, null, 1]) {
      expect(() => getCredentials(client, { signal: signal as never })).toThrow(/getCredentials: `signal` must be an AbortSignal/);
      expect(() => getIdentityId(client, { signal: signal as never })).toThrow(/getIdentityId: `signal` must be an AbortSignal/);
    }
    expect(callsSince(before)).toEqual({ GetId: 0, GetCredentialsForIdentity: 0 });
  });

  it("throws a TypeError at once for a client it did not make, and for a federation without a token or provider", () => {
    expect(() => getCredentials({} as AuthClient)).toThrow(TypeError);
    expect(() => federate(clientFor(), { provider: "google", token: "" })).toThrow(TypeError);
    expect(() => federate(clientFor(), { provider: "myspace" as never, token: "t" })).toThrow(TypeError);
  });

  describe("with roles for user pool groups", () => {
    const admin = "arn:aws:iam::210987654321:role/Admin";
    const editor = "arn:aws:iam::210987654321:role/Editor";
    let rolesEmulator: Emulator;
    beforeAll(async () => {
      rolesEmulator = await startEmulator({
        quiet: true,
        auth: { loginWith: { email: true } },
        groupRoles: { admins: { roleArn: admin, precedence: 1 }, editors: { roleArn: editor, precedence: 5 } },
      });
    });
    afterAll(() => rolesEmulator.stop());

    it("assumes the customRoleArn the token lists, and keeps the identity when a role is refused", async () => {
      const email = newEmail();
      const config = rolesEmulator.config;
      const client = createAuthClient(config, { transport: make(config), platform: { storage: createMemoryStorage() } });
      await client.signUp({ username: email, password, attributes: { email } });
      await client.confirmSignUp({ username: email, code: rolesEmulator.outbox.latest(email)!.code });
      rolesEmulator.addUserToGroup(email, "admins");
      rolesEmulator.addUserToGroup(email, "editors");
      await client.signIn({ username: email, password });
      const sts = (credentials: object) =>
        new STSClient({ region: config.region, endpoint: rolesEmulator.url, credentials, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
      expect((await sts(await getCredentials(client, { customRoleArn: editor }))).Arn).toContain("assumed-role/Editor/");
      const refused = await failure(getCredentials(client, { customRoleArn: "arn:aws:iam::210987654321:role/Other" }));
      expect(refused).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "NotAuthorizedException" });
      // The identity survived the refusal.
      expect((await getCredentials(client, { customRoleArn: admin })).identityId).toBe((await getCredentials(client, { customRoleArn: editor })).identityId);
    });
  });
});
