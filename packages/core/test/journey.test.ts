import { startEmulator } from "@cogkit/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthConfig, createAuthClient, createMemoryStorage } from "@cogkit/core";
import { confirmedUser as signUpConfirmed, failure, transports } from "./journey-support.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const password = "Corr3ct-Horse!";
let counter = 0;
const newEmail = () => `user${++counter}.${Date.now()}@example.com`;

describe.each(transports)("the journey over the $name transport", ({ make }) => {
  let emulator: Emulator;
  const clientFor = (config: AuthConfig = emulator.config, storage = createMemoryStorage()) =>
    createAuthClient(config, { transport: make(config), platform: { storage } });

  const confirmedUser = (client = clientFor()) => signUpConfirmed(client, emulator, newEmail(), password);

  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true });
  });
  afterAll(() => emulator.stop());

  it("signs up, confirms, signs in with SRP, reads the tokens and signs out", async () => {
    const storage = createMemoryStorage();
    const client = clientFor(emulator.config, storage);
    const email = newEmail();
    const signedUp = await client.signUp({ username: email, password, attributes: { email } });
    expect(signedUp.userConfirmed).toBe(false);
    expect(signedUp.nextStep).toMatchObject({ type: "confirmSignUp", codeDelivery: { medium: "EMAIL", attribute: "email" } });

    const code = emulator.outbox.latest(email)?.code;
    expect(code).toMatch(/^\d{6}$/);
    expect(await client.confirmSignUp({ username: email, code: code! })).toEqual({ nextStep: { type: "done" } });

    const seen: string[] = [];
    client.subscribe(() => seen.push(client.getSnapshot().status));
    expect(await client.signIn({ username: email, password })).toEqual({ nextStep: { type: "done" } });
    expect(emulator.callCount("RespondToAuthChallenge")).toBeGreaterThan(0);

    const tokens = await client.getTokens();
    expect(tokens.idToken.payload).toMatchObject({ email, token_use: "id", sub: signedUp.userSub });
    expect(tokens.accessToken.payload.token_use).toBe("access");
    expect(String(tokens.idToken)).toBe(tokens.idToken.jwt);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());

    const snapshot = client.getSnapshot();
    expect(snapshot).toMatchObject({ status: "signedIn", user: { userId: signedUp.userSub, groups: [], attributes: { email } } });
    expect(client.getSnapshot()).toBe(snapshot);
    expect(await storage.getItem(`cogkit.${emulator.config.userPoolClientId}.session`)).toContain(tokens.accessToken.jwt);

    await client.signOut();
    expect(client.getSnapshot()).toEqual({ status: "signedOut", user: null });
    // confirmSignUp started the client (it may sign in), so the listener hears the sign-in and out.
    expect(seen).toEqual(["signedIn", "signedOut"]);
    expect((await failure(client.getTokens())).code).toBe("ERR_NOT_SIGNED_IN");
    expect(await storage.getItem(`cogkit.${emulator.config.userPoolClientId}.session`)).toBeNull();
  });

  it("signs in with the password flow", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    const before = emulator.callCount("RespondToAuthChallenge");
    expect(await client.signIn({ username: email, password, flow: "password" })).toEqual({ nextStep: { type: "done" } });
    expect(emulator.callCount("RespondToAuthChallenge")).toBe(before);
    expect((await client.getTokens()).idToken.payload.email).toBe(email);
  });

  it("restores the session a previous client saved", async () => {
    const storage = createMemoryStorage();
    const email = await confirmedUser();
    await clientFor(emulator.config, storage).signIn({ username: email, password });
    const later = clientFor(emulator.config, storage);
    expect((await later.getTokens()).idToken.payload.email).toBe(email);
    expect(later.getSnapshot().status).toBe("signedIn");
  });

  it("refuses a wrong password and keeps the session it had", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    await client.signIn({ username: email, password });
    const snapshot = client.getSnapshot();
    const tokens = await client.getTokens();
    for (const flow of ["srp", "password"] as const) {
      const error = await failure(client.signIn({ username: email, password: "Wr0ng-password!", flow }));
      expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "NotAuthorizedException", retryable: false });
      expect(error.message).not.toContain("Wr0ng-password!");
    }
    expect(client.getSnapshot()).toBe(snapshot);
    expect((await client.getTokens()).accessToken.jwt).toBe(tokens.accessToken.jwt);
  });

  it("answers an unknown user as a wrong password (user existence errors prevented)", async () => {
    const error = await failure(clientFor().signIn({ username: newEmail(), password }));
    expect(error.code).toBe("ERR_NOT_AUTHORIZED");
  });

  it("turns an unconfirmed account into a confirmSignUp step, then signs in once confirmed", async () => {
    const client = clientFor();
    const email = newEmail();
    await client.signUp({ username: email, password });
    expect(await client.signIn({ username: email, password })).toEqual({ nextStep: { type: "confirmSignUp" } });
    expect(await client.signIn({ username: email, password, flow: "password" })).toEqual({ nextStep: { type: "confirmSignUp" } });
    expect(client.getSnapshot().status).toBe("signedOut");
    const { codeDelivery } = await client.resendSignUpCode({ username: email });
    expect(codeDelivery.medium).toBe("EMAIL");
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    expect((await client.signIn({ username: email, password })).nextStep.type).toBe("done");
  });

  it("refuses a wrong code, then an expired one", async () => {
    // Its own emulator: moving time on would put later SRP timestamps out of the pool's tolerance.
    const travelling = await startEmulator({ quiet: true });
    try {
      const client = createAuthClient(travelling.config, { transport: make(travelling.config) });
      const email = newEmail();
      await client.signUp({ username: email, password });
      const code = travelling.outbox.latest(email)!.code;
      const wrong = code === "000000" ? "111111" : "000000";
      expect((await failure(client.confirmSignUp({ username: email, code: wrong }))).code).toBe("ERR_CODE_MISMATCH");
      travelling.advanceTime(25 * 60 * 60 * 1000);
      expect((await failure(client.confirmSignUp({ username: email, code }))).code).toBe("ERR_CODE_EXPIRED");
    } finally {
      await travelling.stop();
    }
  });

  it("refuses a weak password and a second sign-up of the same user", async () => {
    const client = clientFor();
    const weak = await failure(client.signUp({ username: newEmail(), password: "weakpass" }));
    expect(weak).toMatchObject({ code: "ERR_INVALID_PASSWORD", serviceCode: "InvalidPasswordException" });
    const email = await confirmedUser(client);
    expect((await failure(client.signUp({ username: email, password }))).code).toBe("ERR_USERNAME_EXISTS");
  });

  it("checks input before sending anything", async () => {
    const client = clientFor();
    const calls = () => emulator.callCount("InitiateAuth") + emulator.callCount("SignUp");
    const before = calls();
    for (const username of ["", "   ", "x".repeat(129)]) {
      expect((await failure(client.signIn({ username, password }))).code).toBe("ERR_INVALID_PARAMETER");
      expect((await failure(client.signUp({ username, password }))).code).toBe("ERR_INVALID_PARAMETER");
    }
    expect((await failure(client.signIn({ username: "ana@example.com", password: "" }))).code).toBe("ERR_INVALID_PARAMETER");
    await expect(client.signIn({ username: 42 as never, password })).rejects.toThrow(TypeError);
    await expect(client.signIn({ username: "ana@example.com", password: null as never })).rejects.toThrow(TypeError);
    await expect(client.signIn({ username: "ana@example.com", password, flow: "magic" as never })).rejects.toThrow(TypeError);
    await expect(client.signIn(undefined as never)).rejects.toThrow(TypeError);
    expect(calls()).toBe(before);
  });

  it("signs out globally through Cognito", async () => {
    const client = clientFor();
    const email = await confirmedUser(client);
    await client.signIn({ username: email, password });
    const before = emulator.callCount("GlobalSignOut");
    await client.signOut({ global: true });
    expect(emulator.callCount("GlobalSignOut")).toBe(before + 1);
    expect(client.getSnapshot().status).toBe("signedOut");
  });
});

describe.each(transports)("an app client with a secret, over the $name transport", ({ make }) => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, clientSecret: true, preventUserExistenceErrors: false });
  });
  afterAll(() => emulator.stop());

  it("sends SECRET_HASH on every call of the journey", async () => {
    expect(emulator.config.clientSecret).toEqual(expect.any(String));
    const client = createAuthClient(emulator.config, { transport: make(emulator.config) });
    const email = newEmail();
    await client.signUp({ username: email, password });
    await client.resendSignUpCode({ username: email });
    await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
    expect((await client.signIn({ username: email, password })).nextStep.type).toBe("done");
    expect((await client.signIn({ username: email, password, flow: "password" })).nextStep.type).toBe("done");
  });

  it("is refused without the secret", async () => {
    const { clientSecret: _, ...config } = emulator.config;
    const error = await failure(createAuthClient(config, { transport: make(config) }).signUp({ username: newEmail(), password }));
    expect(error.code).toBe("ERR_NOT_AUTHORIZED");
  });

  it("reports an unknown user when the pool reveals it", async () => {
    const client = createAuthClient(emulator.config, { transport: make(emulator.config) });
    expect((await failure(client.signIn({ username: newEmail(), password }))).code).toBe("ERR_USER_NOT_FOUND");
  });
});
