import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createSoftwareAuthenticator, startEmulator, type AuthenticatorTamper, type Emulator, type SoftwareAuthenticator } from "../src/index.js";
import { codeFor, exchangeCode, hostedAuth } from "./oauth-support.js";
import { call, claimsOf, createConfirmedUser, errorOf, sdkClientFor, signIn } from "./support.js";

const minute = 60 * 1000;
const expired = { type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." };

/** Passkey calls bound to one emulator: registration with an authenticator, and WEB_AUTHN sign-in steps. */
function passkeyApi(emulator: () => Emulator) {
  const ClientId = () => emulator().config.userPoolClientId;
  const withToken = (operation: string, AccessToken: string, body: Record<string, unknown> = {}) => call(emulator(), operation, { AccessToken, ...body });
  return {
    withToken,
    /** A confirmed user, signed in with a password. */
    async signedInUser() {
      const { email, sub } = await createConfirmedUser(emulator());
      return { email, sub, accessToken: (await signIn(emulator(), email)).AccessToken };
    },
    /** StartWebAuthnRegistration, the authenticator's answer (tampered or not), CompleteWebAuthnRegistration. */
    async register(accessToken: string, authenticator: SoftwareAuthenticator = emulator().passkeys, tamper?: AuthenticatorTamper) {
      const start = await withToken("StartWebAuthnRegistration", accessToken);
      const credential = await authenticator.create(start.body.CredentialCreationOptions, tamper);
      return withToken("CompleteWebAuthnRegistration", accessToken, { Credential: credential });
    },
    /** InitiateAuth USER_AUTH preferring WEB_AUTHN: the challenge's session and request options. */
    async passkeyChallenge(email: string) {
      const answer = await call(emulator(), "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: "WEB_AUTHN" } });
      expect(answer.body).toMatchObject({ ChallengeName: "WEB_AUTHN" });
      return { session: answer.body.Session as string, options: answer.body.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS as string };
    },
    answer: (email: string, session: string, credential: unknown) =>
      call(emulator(), "RespondToAuthChallenge", {
        ClientId: ClientId(),
        ChallengeName: "WEB_AUTHN",
        Session: session,
        ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(credential) },
      }),
  };
}

describe("passkeys", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ quiet: true, allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] });
  });
  afterAll(() => emulator.stop());
  const api = passkeyApi(() => emulator);

  it("registers a passkey through the AWS SDK and signs in with it, twice, without MFA", async () => {
    const { email, sub, accessToken } = await api.signedInUser();
    const sdk = sdkClientFor(emulator);
    const { CredentialCreationOptions: options } = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
    expect(options).toMatchObject({
      rp: { id: "localhost", name: "localhost" },
      user: { id: Buffer.from(sub).toString("base64url"), name: email },
      challenge: expect.stringMatching(/^[\w-]{22}$/),
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      excludeCredentials: [],
      authenticatorSelection: { requireResidentKey: true, residentKey: "required", userVerification: "preferred" },
    });
    const credential = await emulator.passkeys.create(options as never);
    expect(await sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential as never }))).toBeDefined();
    const { Credentials } = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
    expect(Credentials).toEqual([
      {
        CredentialId: credential.id,
        FriendlyCredentialName: expect.any(String),
        RelyingPartyId: "localhost",
        AuthenticatorAttachment: "platform",
        AuthenticatorTransports: ["internal"],
        CreatedAt: expect.any(Date),
      },
    ]);
    sdk.destroy();

    const select = await call(emulator, "InitiateAuth", { ClientId: emulator.config.userPoolClientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: email } });
    expect(select.body.AvailableChallenges).toEqual(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "WEB_AUTHN"]);
    for (let i = 0; i < 2; i++) {
      const { session, options: requestOptions } = await api.passkeyChallenge(email);
      expect(JSON.parse(requestOptions)).toMatchObject({ rpId: "localhost", allowCredentials: [{ id: credential.id, type: "public-key" }], userVerification: "preferred", timeout: 180000 });
      const done = await api.answer(email, session, await emulator.passkeys.get(requestOptions));
      expect(claimsOf(done.body.AuthenticationResult.AccessToken)).toMatchObject({ sub });
    }
    expect(emulator.passkeys.passkeys()).toEqual([{ credentialId: credential.id, rpId: "localhost", userHandle: Buffer.from(sub).toString("base64url"), signCount: 2 }]);
    const factors = await api.withToken("GetUserAuthFactors", accessToken);
    expect(factors.body.ConfiguredUserAuthFactors).toEqual(["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]);
  });

  it("refuses a registration answering a used, replaced or expired challenge", async () => {
    const { accessToken } = await api.signedInUser();
    const first = await api.withToken("StartWebAuthnRegistration", accessToken);
    const credential = await emulator.passkeys.create(first.body.CredentialCreationOptions);
    expect((await api.withToken("CompleteWebAuthnRegistration", accessToken, { Credential: credential })).status).toBe(200);
    // The same answer again: its challenge was used up.
    expect(errorOf(await api.withToken("CompleteWebAuthnRegistration", accessToken, { Credential: credential })).type).toBe("WebAuthnChallengeNotFoundException");

    const replaced = await api.withToken("StartWebAuthnRegistration", accessToken);
    await api.withToken("StartWebAuthnRegistration", accessToken);
    // A second device of the user's: the first would refuse, holding an excluded passkey.
    const device = createSoftwareAuthenticator();
    const stale = await device.create(replaced.body.CredentialCreationOptions);
    expect(errorOf(await api.withToken("CompleteWebAuthnRegistration", accessToken, { Credential: stale })).type).toBe("WebAuthnChallengeNotFoundException");

    const late = await api.withToken("StartWebAuthnRegistration", accessToken);
    const lateCredential = await device.create(late.body.CredentialCreationOptions);
    emulator.advanceTime(3 * minute);
    expect(errorOf(await api.withToken("CompleteWebAuthnRegistration", accessToken, { Credential: lateCredential })).type).toBe("WebAuthnChallengeNotFoundException");
  });

  it("refuses a registration from another origin or for another relying party", async () => {
    const { accessToken } = await api.signedInUser();
    expect(errorOf(await api.register(accessToken, emulator.passkeys, { origin: "https://evil.example" })).type).toBe("WebAuthnOriginNotAllowedException");
    expect(errorOf(await api.register(accessToken, emulator.passkeys, { rpId: "evil.example" })).type).toBe("WebAuthnRelyingPartyMismatchException");
    // Any local port is a local dev server.
    expect((await api.register(accessToken, createSoftwareAuthenticator({ origin: "http://127.0.0.1:5173" }))).status).toBe(200);
    expect(errorOf(await api.withToken("StartWebAuthnRegistration", "not-a-token")).type).toBe("NotAuthorizedException");
  });

  it("refuses a sign-in replaying an assertion, from another origin, for another relying party, or with a counter gone back", async () => {
    const authenticator = createSoftwareAuthenticator();
    const { email, accessToken } = await api.signedInUser();
    expect((await api.register(accessToken, authenticator)).status).toBe(200);
    const refused = (why: string) => ({ type: "NotAuthorizedException", message: `Passkey sign-in refused: ${why}.` });

    const first = await api.passkeyChallenge(email);
    const assertion = await authenticator.get(first.options);
    expect((await api.answer(email, first.session, assertion)).body.AuthenticationResult).toBeDefined();
    expect(errorOf(await api.answer(email, first.session, assertion))).toMatchObject(expired);
    const replay = await api.passkeyChallenge(email);
    expect(errorOf(await api.answer(email, replay.session, assertion))).toMatchObject(refused("it does not answer this session's challenge"));
    // A refused answer uses the session up.
    expect(errorOf(await api.answer(email, replay.session, await authenticator.get(replay.options)))).toMatchObject(expired);

    const cases: Array<[AuthenticatorTamper, string]> = [
      [{ origin: "https://evil.example" }, "the page origin is not allowed"],
      [{ rpId: "evil.example" }, "it is for another relying party"],
      [{ signCount: 1 }, "its signature counter did not increase (a cloned authenticator?)"],
    ];
    for (const [tamper, why] of cases) {
      const { session, options } = await api.passkeyChallenge(email);
      expect(errorOf(await api.answer(email, session, await authenticator.get(options, tamper)))).toMatchObject(refused(why));
    }
    const { session, options } = await api.passkeyChallenge(email);
    expect((await api.answer(email, session, await authenticator.get(options, { signCount: 10 }))).body.AuthenticationResult).toBeDefined();
  });

  it("signs in with an RS256 passkey", async () => {
    const authenticator = createSoftwareAuthenticator({ algorithm: "RS256" });
    const { email, accessToken } = await api.signedInUser();
    expect((await api.register(accessToken, authenticator)).status).toBe(200);
    const { session, options } = await api.passkeyChallenge(email);
    expect((await api.answer(email, session, await authenticator.get(options))).body.AuthenticationResult).toBeDefined();
  });

  it("keeps passkeys in the state file: after a restart the passkey still signs in", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cogkit-passkeys-"));
    const file = join(dir, "state.json");
    const options = { quiet: true, state: file, allowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } as const;
    const authenticator = createSoftwareAuthenticator();
    const before = await startEmulator(options);
    let email: string;
    try {
      const user = await passkeyApi(() => before).signedInUser();
      email = user.email;
      expect((await passkeyApi(() => before).register(user.accessToken, authenticator)).status).toBe(200);
    } finally {
      await before.stop();
    }
    const after = await startEmulator(options);
    try {
      const again = passkeyApi(() => after);
      const { session, options: requestOptions } = await again.passkeyChallenge(email);
      expect((await again.answer(email, session, await authenticator.get(requestOptions))).body.AuthenticationResult).toBeDefined();
    } finally {
      await after.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses another user's passkey", async () => {
    const authenticator = createSoftwareAuthenticator();
    const owner = await api.signedInUser();
    const other = await api.signedInUser();
    await api.register(owner.accessToken, authenticator);
    await api.register(other.accessToken, authenticator);
    const [ownersPasskey] = authenticator.passkeys();
    const { session, options } = await api.passkeyChallenge(other.email);
    const answer = await api.answer(other.email, session, await authenticator.get(options, { credentialId: ownersPasskey!.credentialId }));
    expect(errorOf(answer)).toMatchObject({ type: "NotAuthorizedException", message: "Passkey sign-in refused: the passkey is not registered to this user." });
  });

  it("lists passkeys a page at a time, deletes one, and a deleted passkey signs in no more", async () => {
    // Two devices: an authenticator refuses to make a second passkey for one user.
    const [phone, laptop] = [createSoftwareAuthenticator(), createSoftwareAuthenticator()];
    const { email, accessToken } = await api.signedInUser();
    await api.register(accessToken, phone);
    await api.register(accessToken, laptop);
    const [first] = phone.passkeys();
    const [second] = laptop.passkeys();
    const page = await api.withToken("ListWebAuthnCredentials", accessToken, { MaxResults: 1 });
    expect(page.body.Credentials.map((c: { CredentialId: string }) => c.CredentialId)).toEqual([first!.credentialId]);
    const rest = await api.withToken("ListWebAuthnCredentials", accessToken, { MaxResults: 1, NextToken: page.body.NextToken });
    expect(rest.body).toEqual({ Credentials: [expect.objectContaining({ CredentialId: second!.credentialId })] });

    const sdk = sdkClientFor(emulator);
    await sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: first!.credentialId }));
    sdk.destroy();
    expect(errorOf(await api.withToken("DeleteWebAuthnCredential", accessToken, { CredentialId: first!.credentialId })).type).toBe("ResourceNotFoundException");
    const { session, options } = await api.passkeyChallenge(email);
    expect(JSON.parse(options).allowCredentials).toEqual([{ id: second!.credentialId, type: "public-key" }]);
    expect(errorOf(await api.answer(email, session, await phone.get(options, { credentialId: first!.credentialId }))).type).toBe("NotAuthorizedException");
  });

  it("allows a user at most 20 passkeys, and excludes the ones they have from a new registration", async () => {
    const devices = Array.from({ length: 20 }, () => createSoftwareAuthenticator());
    const { accessToken } = await api.signedInUser();
    for (const device of devices) expect((await api.register(accessToken, device)).status).toBe(200);
    expect(errorOf(await api.withToken("StartWebAuthnRegistration", accessToken)).type).toBe("LimitExceededException");
    const { body } = await api.withToken("DeleteWebAuthnCredential", accessToken, { CredentialId: devices[0]!.passkeys()[0]!.credentialId });
    expect(body).toEqual({});
    const start = await api.withToken("StartWebAuthnRegistration", accessToken);
    expect(start.body.CredentialCreationOptions.excludeCredentials).toHaveLength(19);
    await expect(devices[1]!.create(start.body.CredentialCreationOptions)).rejects.toMatchObject({ name: "InvalidStateError" });
  });
});

describe("the WebAuthn verifier", () => {
  it("is imported on first use only, so start-up and the msw entry stay light", async () => {
    const files = (await readdir(new URL("../src", import.meta.url), { recursive: true })).filter((name) => name.endsWith(".ts"));
    const eager: string[] = [];
    for (const name of files) {
      const text = await readFile(new URL(`../src/${name}`, import.meta.url), "utf8");
      // A value import (not `import type`) of the library runs it at start-up.
      if (/^import\s+(?!type\b)[^;]*from\s+"@simplewebauthn\//m.test(text)) eager.push(name);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(eager).toEqual([]);
  });
});

describe("passkeys that must verify the user", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      quiet: true,
      allowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"],
      webAuthn: { relyingPartyId: "localhost", origins: ["http://localhost:5173"], userVerification: "required" },
    });
  });
  afterAll(() => emulator.stop());
  const api = passkeyApi(() => emulator);

  it("refuses registration and sign-in without user verification, and origins not configured", async () => {
    const { email, accessToken } = await api.signedInUser();
    expect(emulator.passkeys.origin).toBe("http://localhost:5173");
    expect(errorOf(await api.register(accessToken, emulator.passkeys, { userVerified: false })).type).toBe("WebAuthnCredentialNotSupportedException");
    expect(errorOf(await api.register(accessToken, createSoftwareAuthenticator({ origin: "http://localhost:3000" }))).type).toBe("WebAuthnOriginNotAllowedException");
    const start = await api.withToken("StartWebAuthnRegistration", accessToken);
    expect(start.body.CredentialCreationOptions.authenticatorSelection.userVerification).toBe("required");
    await api.withToken("CompleteWebAuthnRegistration", accessToken, { Credential: await emulator.passkeys.create(start.body.CredentialCreationOptions) });

    const { session, options } = await api.passkeyChallenge(email);
    expect(JSON.parse(options).userVerification).toBe("required");
    expect(errorOf(await api.answer(email, session, await emulator.passkeys.get(options, { userVerified: false })))).toMatchObject({
      type: "NotAuthorizedException",
      message: "Passkey sign-in refused: the authenticator did not verify the user.",
    });
    const again = await api.passkeyChallenge(email);
    expect((await api.answer(email, again.session, await emulator.passkeys.get(again.options))).body.AuthenticationResult).toBeDefined();
  });

  it("refuses registration with an access token lacking aws.cognito.signin.user.admin", async () => {
    const hosted = await startEmulator({ quiet: true, auth: hostedAuth, allowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] });
    try {
      const { email } = await createConfirmedUser(hosted);
      const { code, verifier } = await codeFor(hosted, email, { scopes: ["openid", "email"] });
      const { body } = await exchangeCode(hosted, code, verifier);
      expect(errorOf(await call(hosted, "StartWebAuthnRegistration", { AccessToken: body.access_token })).type).toBe("NotAuthorizedException");
      const admin = await codeFor(hosted, email, { scopes: ["openid", "aws.cognito.signin.user.admin"] });
      const full = await exchangeCode(hosted, admin.code, admin.verifier);
      expect((await call(hosted, "StartWebAuthnRegistration", { AccessToken: full.body.access_token })).status).toBe(200);
    } finally {
      await hosted.stop();
    }
  });

  it("refuses passkey operations in a pool without WEB_AUTHN", async () => {
    const plain = await startEmulator({ quiet: true });
    try {
      const { email } = await createConfirmedUser(plain);
      const { AccessToken } = await signIn(plain, email);
      expect(errorOf(await call(plain, "StartWebAuthnRegistration", { AccessToken })).type).toBe("WebAuthnNotEnabledException");
    } finally {
      await plain.stop();
    }
  });
});
