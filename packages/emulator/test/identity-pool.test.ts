import { SignJWT, createRemoteJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorHandler } from "../src/create-emulator-handler.js";
import { createEmulatorState } from "../src/emulator-state.js";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, claimsOf, createConfirmedUser, errorOf, identityCall, signIn, userPoolLogin } from "./support.js";

const notAuthorized = (message: string) => ({ type: "NotAuthorizedException", message, status: 400, header: "NotAuthorizedException" });

describe("the identity pool over HTTP", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());
  const poolId = () => emulator.config.identityPoolId!;
  const getId = (Logins?: Record<string, string>) => identityCall(emulator, "GetId", { IdentityPoolId: poolId(), ...(Logins ? { Logins } : {}) });
  const credentialsFor = (IdentityId: string, Logins?: Record<string, string>) =>
    identityCall(emulator, "GetCredentialsForIdentity", { IdentityId, ...(Logins ? { Logins } : {}) });
  const guestId = async () => (await getId()).body.IdentityId as string;

  it("boots an identity pool with guest access and puts it in the client config", () => {
    expect(emulator.config.identityPoolId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(emulator.config.allowGuestAccess).toBe(true);
    expect(emulator.userPoolLoginKey).toBe(`cognito-idp.us-east-1.amazonaws.com/${emulator.config.userPoolId}`);
  });

  it("gives a new guest identity for each GetId without logins", async () => {
    const first = await getId();
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(first.body).toEqual({ IdentityId: expect.stringMatching(/^us-east-1:[0-9a-f-]{36}$/) });
    expect((await getId()).body.IdentityId).not.toBe(first.body.IdentityId);
  });

  it("gives a guest one hour of credentials by the emulator clock", async () => {
    const id = await guestId();
    const before = Math.floor(emulator.now() / 1000);
    const answer = await credentialsFor(id);
    expect(answer.status).toBe(200);
    expect(answer.body.IdentityId).toBe(id);
    const { AccessKeyId, SecretKey, SessionToken, Expiration } = answer.body.Credentials;
    expect(AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(SecretKey).toHaveLength(40);
    expect(SessionToken.length).toBeGreaterThan(100);
    expect(typeof Expiration).toBe("number");
    expect(Expiration - before).toBeGreaterThanOrEqual(3599);
    expect(Expiration - before).toBeLessThanOrEqual(3601);
  });

  it("refuses an unknown identity pool, a malformed id and too many logins the way Cognito does", async () => {
    const unknown = await identityCall(emulator, "GetId", { IdentityPoolId: "us-east-1:00000000-0000-4000-8000-000000000000" });
    expect(errorOf(unknown)).toMatchObject({ type: "ResourceNotFoundException", message: "IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found." });
    const malformed = await identityCall(emulator, "GetId", { IdentityPoolId: "not a pool" });
    expect(errorOf(malformed)).toMatchObject({
      type: "InvalidParameterException",
      message: "1 validation error detected: Value 'not a pool' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    });
    expect(errorOf(await identityCall(emulator, "GetCredentialsForIdentity", {})).message).toMatch(/Value null at 'identityId' failed to satisfy constraint: Member must not be null/);
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.example.com`, "x"]));
    expect(errorOf(await getId(many)).type).toBe("InvalidParameterException");
  });

  it("answers ResourceNotFoundException for an identity it never made or has deleted", async () => {
    const never = "us-east-1:11111111-2222-4333-8444-555555555555";
    expect(errorOf(await credentialsFor(never))).toMatchObject({ type: "ResourceNotFoundException", message: `Identity '${never}' not found.` });
    const id = await guestId();
    emulator.deleteIdentity(id);
    expect(errorOf(await credentialsFor(id))).toMatchObject({ type: "ResourceNotFoundException", message: `Identity '${id}' not found.` });
    expect(errorOf(await identityCall(emulator, "GetOpenIdToken", { IdentityId: id })).type).toBe("ResourceNotFoundException");
  });

  it("refuses a disabled identity", async () => {
    const id = await guestId();
    emulator.disableIdentity(id);
    expect(errorOf(await credentialsFor(id))).toEqual(notAuthorized(`Identity '${id}' is disabled.`));
    expect(emulator.identities().find((i) => i.identityId === id)?.status).toBe("disabled");
  });

  it("gives a login the same identity every time", async () => {
    const { logins, email } = await userPoolLogin(emulator);
    const first = (await getId(logins)).body.IdentityId;
    const { IdToken } = await signIn(emulator, email);
    expect((await getId({ [emulator.userPoolLoginKey]: IdToken })).body.IdentityId).toBe(first);
    expect(emulator.identities().find((i) => i.identityId === first)).toMatchObject({ logins: [emulator.userPoolLoginKey], status: "active" });
  });

  it("accepts the Logins key a client builds from the token's iss, as the same identity as the user pool key", async () => {
    const { idToken, email } = await userPoolLogin(emulator);
    const issuerKey = (claimsOf(idToken).iss as string).replace(/^https?:\/\//, "");
    expect(issuerKey).toBe(`127.0.0.1:${new URL(emulator.url).port}/${emulator.config.userPoolId}`);
    const byIssuer = await getId({ [issuerKey]: idToken });
    expect(byIssuer.status).toBe(200);
    const id = byIssuer.body.IdentityId as string;
    const { IdToken } = await signIn(emulator, email);
    expect((await getId({ [emulator.userPoolLoginKey]: IdToken })).body.IdentityId).toBe(id);
    const credentials = await credentialsFor(id, { [issuerKey]: IdToken });
    expect(credentials.status).toBe(200);
    expect(credentials.body.IdentityId).toBe(id);
    expect((await credentialsFor(id, { [emulator.userPoolLoginKey]: IdToken })).body.IdentityId).toBe(id);
    // Both keys name one provider, as Cognito lists its own.
    expect(emulator.identities().find((i) => i.identityId === id)?.logins).toEqual([emulator.userPoolLoginKey]);
  });

  it("still refuses an issuer-like key of another host or pool", async () => {
    const { idToken } = await userPoolLogin(emulator);
    const port = new URL(emulator.url).port;
    const refused = notAuthorized("Token is not from a supported provider of this identity pool.");
    expect(errorOf(await getId({ [`localhost:${port}/${emulator.config.userPoolId}`]: idToken }))).toEqual(refused);
    expect(errorOf(await getId({ [`127.0.0.1:${port}/us-east-1_Other`]: idToken }))).toEqual(refused);
  });

  it("turns a guest that signs in with a new login into that authenticated identity, keeping its id", async () => {
    const id = await guestId();
    const { logins } = await userPoolLogin(emulator);
    const linked = await credentialsFor(id, logins);
    expect(linked.status).toBe(200);
    expect(linked.body.IdentityId).toBe(id);
    expect((await getId(logins)).body.IdentityId).toBe(id);
    // Now authenticated: without its logins it is refused.
    expect(errorOf(await credentialsFor(id))).toEqual(
      notAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool."),
    );
  });

  it("merges a guest into the identity its login already has; the guest id is then forbidden", async () => {
    const { logins } = await userPoolLogin(emulator);
    const owner = (await getId(logins)).body.IdentityId;
    const guest = await guestId();
    const merged = await credentialsFor(guest, logins);
    expect(merged.status).toBe(200);
    expect(merged.body.IdentityId).toBe(owner);
    expect(errorOf(await credentialsFor(guest))).toEqual(notAuthorized(`Access to Identity '${guest}' is forbidden.`));
    expect(errorOf(await credentialsFor(guest, logins))).toEqual(notAuthorized(`Access to Identity '${guest}' is forbidden.`));
    expect(emulator.identities().find((i) => i.identityId === guest)).toMatchObject({ status: "merged", mergedInto: owner });
  });

  it("refuses an expired ID token by the emulator clock", async () => {
    const { logins } = await userPoolLogin(emulator);
    const id = (await getId(logins)).body.IdentityId;
    const exp = claimsOf(Object.values(logins)[0]!).exp as number;
    emulator.advanceTime(3601 * 1000);
    const answer = errorOf(await credentialsFor(id, logins));
    expect(answer.type).toBe("NotAuthorizedException");
    expect(answer.message).toMatch(new RegExp(`^Invalid login token\\. Token expired: ${exp} >= \\d+$`));
  });

  it("refuses an ID token of another audience, an access token, a forged token and an unknown provider", async () => {
    const user = await createConfirmedUser(emulator);
    const { IdToken, AccessToken } = await signIn(emulator, user.email);
    const key = emulator.userPoolLoginKey;
    const idKeyHeader = decodeProtectedHeader(IdToken);
    const forger = await generateKeyPair("RS256");
    const resign = (claims: Record<string, unknown>, privateKey = forger.privateKey) =>
      new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: idKeyHeader.kid! }).sign(privateKey);

    const forged = await resign(claimsOf(IdToken));
    expect(errorOf(await getId({ [key]: forged }))).toEqual(notAuthorized("Invalid login token. Token signature invalid."));
    expect(errorOf(await getId({ [key]: AccessToken }))).toEqual(notAuthorized("Invalid login token. Missing a required claim: aud"));
    expect(errorOf(await getId({ [key]: "not-a-jwt" }))).toEqual(notAuthorized("Invalid login token. Not a valid OpenId Connect identity token."));

    const otherPool = await startEmulator({ identityPool: false });
    try {
      const stranger = await createConfirmedUser(otherPool);
      const foreign = (await signIn(otherPool, stranger.email)).IdToken;
      // Signed by another pool's key: refused even though it claims this pool's key id.
      expect(errorOf(await getId({ [key]: foreign })).type).toBe("NotAuthorizedException");
      expect(errorOf(await getId({ [`cognito-idp.us-east-1.amazonaws.com/${otherPool.config.userPoolId}`]: foreign }))).toEqual(
        notAuthorized("Token is not from a supported provider of this identity pool."),
      );
    } finally {
      await otherPool.stop();
    }
  });

  it("refuses a user pool ID token whose audience is not the pool's app client, or that is not an ID token", async () => {
    // Only the emulator holds its signing key, so sign with it from a state of our own.
    const state = await createEmulatorState({ url: "http://cognito.test" }, {});
    const handle = createEmulatorHandler(state);
    const send = async (Logins: Record<string, string>) => {
      const response = await handle(
        new Request("http://cognito.test/", {
          method: "POST",
          headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityService.GetId" },
          body: JSON.stringify({ IdentityPoolId: state.identityPool!.id, Logins }),
        }),
      );
      return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
    };
    const now = Math.floor(state.clock.now() / 1000);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ sub: "0b9c1c1e-0000-4000-8000-000000000001", iss: state.issuerUrl, iat: now, exp: now + 600, ...claims })
        .setProtectedHeader({ alg: "RS256", kid: state.keys.id.kid })
        .sign(state.keys.id.privateKey);
    const key = `cognito-idp.us-east-1.amazonaws.com/${state.pool.id}`;
    expect((await send({ [key]: await sign({ aud: state.client.id, token_use: "id" }) })).status).toBe(200);
    expect(errorOf(await send({ [key]: await sign({ aud: "another-client", token_use: "id" }) }))).toEqual(notAuthorized("Invalid login token. Incorrect token audience."));
    expect(errorOf(await send({ [key]: await sign({ aud: state.client.id, token_use: "access" }) }))).toEqual(
      notAuthorized("Invalid login token. Not a valid OpenId Connect identity token."),
    );
    expect(errorOf(await send({ [key]: await sign({ aud: state.client.id, token_use: "id", iss: "https://elsewhere.test/pool" }) }))).toEqual(
      notAuthorized("Invalid login token. Issuer doesn't match providerName"),
    );
  });

  it.each(["google", "apple", "oidc", "facebook", "amazon"] as const)("federates %s users through the fake provider's tokens", async (name) => {
    const provider = emulator.providers[name];
    const token = await provider.mintToken({ sub: `${name}-user-1`, email: "fed@example.com" });
    const Logins = { [provider.loginKey]: token };
    const id = (await getId(Logins)).body.IdentityId;
    expect((await getId({ [provider.loginKey]: await provider.mintToken({ sub: `${name}-user-1` }) })).body.IdentityId).toBe(id);
    expect((await credentialsFor(id, Logins)).status).toBe(200);
    const other = (await getId({ [provider.loginKey]: await provider.mintToken({ sub: `${name}-user-2` }) })).body.IdentityId;
    expect(other).not.toBe(id);

    const expired = await provider.mintToken({ sub: `${name}-user-1`, expiresInSeconds: -10 });
    expect(errorOf(await credentialsFor(id, { [provider.loginKey]: expired })).message).toMatch(/^Invalid login token\. /);
    const wrongAudience = await provider.mintToken({ sub: `${name}-user-1`, aud: "not-this-app" });
    expect(errorOf(await credentialsFor(id, { [provider.loginKey]: wrongAudience }))).toEqual(notAuthorized("Invalid login token. Incorrect token audience."));
    const made = await provider.mintToken({ sub: `${name}-user-1` });
    const tampered = `${made.slice(0, -6)}${made.slice(-6) === "AAAAAA" ? "BBBBBB" : "AAAAAA"}`;
    expect(errorOf(await credentialsFor(id, { [provider.loginKey]: tampered })).type).toBe("NotAuthorizedException");
  });

  it("names the login keys and issuers of the fake providers", () => {
    expect(Object.fromEntries(Object.entries(emulator.providers).map(([name, p]) => [name, [p.loginKey, p.tokenKind]]))).toEqual({
      google: ["accounts.google.com", "jwt"],
      apple: ["appleid.apple.com", "jwt"],
      facebook: ["graph.facebook.com", "opaque"],
      amazon: ["www.amazon.com", "opaque"],
      oidc: ["oidc.cogkit.test", "jwt"],
    });
  });

  it("refuses a login token from a key it does not know", async () => {
    const token = await emulator.providers.google.mintToken({ sub: "g" });
    expect(errorOf(await getId({ "accounts.example.com": token }))).toEqual(notAuthorized("Token is not from a supported provider of this identity pool."));
  });

  it("issues OpenID tokens for identities, verifiable with its JWKS", async () => {
    const { logins } = await userPoolLogin(emulator);
    const id = (await getId(logins)).body.IdentityId;
    const answer = await identityCall(emulator, "GetOpenIdToken", { IdentityId: id, Logins: logins });
    expect(answer.body.IdentityId).toBe(id);
    const jwks = createRemoteJWKSet(new URL(`${emulator.url}/.well-known/jwks_uri`));
    const { payload } = await jwtVerify(answer.body.Token, jwks, {
      issuer: "https://cognito-identity.amazonaws.com",
      audience: poolId(),
      currentDate: new Date(emulator.now()),
    });
    expect(payload).toMatchObject({ sub: id, amr: ["authenticated", emulator.userPoolLoginKey] });
    const guest = await identityCall(emulator, "GetOpenIdToken", { IdentityId: await guestId() });
    expect(claimsOf(guest.body.Token).amr).toEqual(["unauthenticated"]);
  });

  it("counts identity operations and fails them on demand", async () => {
    const before = emulator.callCount("GetId");
    emulator.injectFault("GetCredentialsForIdentity", { error: "TooManyRequestsException" });
    const id = await guestId();
    expect(errorOf(await credentialsFor(id))).toMatchObject({ type: "TooManyRequestsException", message: "Rate exceeded" });
    expect((await credentialsFor(id)).status).toBe(200);
    expect(emulator.callCount("GetId")).toBe(before + 1);
    expect(emulator.callCount("GetCredentialsForIdentity")).toBeGreaterThanOrEqual(2);
  });

  it("lists, disables and deletes identities and mints provider tokens over HTTP", async () => {
    const control = (path: string, init?: RequestInit) => fetch(`${emulator.url}/_emulator/${path}`, init);
    const id = await guestId();
    const listed = (await (await control("identities")).json()) as { identities: Array<{ identityId: string; status: string }> };
    expect(listed.identities.find((i) => i.identityId === id)?.status).toBe("active");
    expect((await control(`identities/${encodeURIComponent(id)}/disable`, { method: "POST" })).status).toBe(204);
    expect(errorOf(await credentialsFor(id)).type).toBe("NotAuthorizedException");
    expect((await control(`identities/${encodeURIComponent(id)}`, { method: "DELETE" })).status).toBe(204);
    expect(errorOf(await credentialsFor(id)).type).toBe("ResourceNotFoundException");
    expect((await control(`identities/${encodeURIComponent(id)}`, { method: "DELETE" })).status).toBe(400);

    const minted = await control("providers/google/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sub: "g-http" }) });
    const { loginKey, token } = (await minted.json()) as { loginKey: string; token: string };
    expect((await getId({ [loginKey]: token })).status).toBe(200);
    expect((await control("providers/myspace/tokens", { method: "POST", body: "{}" })).status).toBe(404);
    expect(() => emulator.deleteIdentity("us-east-1:nope")).toThrow(TypeError);
  });
});

describe("an identity pool without guest access", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ identityPool: { allowUnauthenticated: false } });
  });
  afterAll(() => emulator.stop());

  it("says so in the config and refuses GetId without logins", async () => {
    expect(emulator.config.allowGuestAccess).toBe(false);
    const answer = await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId });
    expect(errorOf(answer)).toEqual(notAuthorized("Unauthenticated access is not supported for this identity pool."));
  });

  it("still serves signed-in users", async () => {
    const { logins } = await userPoolLogin(emulator);
    const id = (await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId, Logins: logins })).body.IdentityId;
    expect((await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId: id, Logins: logins })).status).toBe(200);
  });
});

describe("an emulator without an identity pool", () => {
  it("has no identity pool in its config and does not know the service", async () => {
    const emulator = await startEmulator({ identityPool: false });
    try {
      expect(emulator.config).not.toHaveProperty("identityPoolId");
      expect(errorOf(await identityCall(emulator, "GetId", { IdentityPoolId: "us-east-1:00000000-0000-4000-8000-000000000000" })).type).toBe(
        "UnknownOperationException",
      );
      expect((await call(emulator, "SignUp", {})).status).toBe(400);
    } finally {
      await emulator.stop();
    }
  });
});
