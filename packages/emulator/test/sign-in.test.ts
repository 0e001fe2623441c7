import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeSecretHash, formatSrpTimestamp, startEmulator, type Emulator } from "../src/index.js";
import { call, claimsOf, createConfirmedUser, errorOf, freshEmail, password, signIn, startSrp } from "./support.js";

describe("InitiateAuth and RespondToAuthChallenge", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());
  const ClientId = () => emulator.config.userPoolClientId;

  it("signs in with USER_PASSWORD_AUTH using the email", async () => {
    const { email, sub } = await createConfirmedUser(emulator);
    const result = await signIn(emulator, email.toUpperCase());
    expect(result).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(result.RefreshToken.split(".")).toHaveLength(1);
    expect(claimsOf(result.IdToken)).toMatchObject({ sub, "cognito:username": sub, email, email_verified: true });
  });

  it("refuses a wrong password and an unknown user with the same answer", async () => {
    const { email } = await createConfirmedUser(emulator);
    const attempt = (USERNAME: string, PASSWORD: string) =>
      call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD } });
    const wrong = errorOf(await attempt(email, "Wrong-password-1"));
    const unknown = errorOf(await attempt(freshEmail("nobody"), password));
    expect(wrong).toEqual({ type: "NotAuthorizedException", message: "Incorrect username or password.", status: 400, header: "NotAuthorizedException" });
    expect(unknown).toEqual(wrong);
  });

  it("refuses an unconfirmed user only once the password is right", async () => {
    const email = freshEmail();
    await call(emulator, "SignUp", { ClientId: ClientId(), Username: email, Password: password });
    const attempt = (PASSWORD: string) =>
      call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD } });
    expect(errorOf(await attempt("Wrong-password-1")).type).toBe("NotAuthorizedException");
    expect(errorOf(await attempt(password))).toMatchObject({ type: "UserNotConfirmedException", message: "User is not confirmed." });
    const srp = await startSrp(emulator, email);
    expect(errorOf(await srp.respond(await srp.prove(password))).type).toBe("UserNotConfirmedException");
  });

  it("names missing auth parameters and unknown flows", async () => {
    const noPassword = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a@b.co" } });
    expect(errorOf(noPassword)).toMatchObject({ type: "InvalidParameterException", message: "Missing required parameter PASSWORD" });
    const badFlow = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "MAGIC", AuthParameters: {} });
    expect(errorOf(badFlow).message).toMatch(/^1 validation error detected: Value 'MAGIC' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: \[USER_SRP_AUTH, /);
    const custom = await call(emulator, "InitiateAuth", { ClientId: ClientId(), AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "a@b.co" } });
    expect(errorOf(custom).message).toBe("CUSTOM_AUTH flow not enabled for this client");
  });

  it("signs in with SRP: the challenge carries the UUID as USER_ID_FOR_SRP and the proof is checked", async () => {
    const { email, sub } = await createConfirmedUser(emulator);
    const srp = await startSrp(emulator, email);
    expect(srp.answer.body).toMatchObject({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: { USER_ID_FOR_SRP: sub, USERNAME: sub } });
    expect(Object.keys(srp.answer.body.ChallengeParameters).sort()).toEqual(["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"]);
    expect(typeof srp.answer.body.Session).toBe("string");
    const done = await srp.respond(await srp.prove(password));
    expect(done.status).toBe(200);
    expect(claimsOf(done.body.AuthenticationResult.AccessToken)).toMatchObject({ sub, username: sub, token_use: "access" });
  });

  it("refuses an SRP proof made with the wrong password, a tampered signature or a reused SECRET_BLOCK", async () => {
    const { email } = await createConfirmedUser(emulator);
    const wrong = await startSrp(emulator, email);
    expect(errorOf(await wrong.respond(await wrong.prove("Wrong-password-1")))).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });

    const tampered = await startSrp(emulator, email);
    const responses = await tampered.prove(password);
    const flipped = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE!, "base64");
    flipped[0]! ^= 1;
    expect(errorOf(await tampered.respond({ ...responses, PASSWORD_CLAIM_SIGNATURE: flipped.toString("base64") })).type).toBe("NotAuthorizedException");

    const used = await startSrp(emulator, email);
    const good = await used.prove(password);
    expect((await used.respond(good)).status).toBe(200);
    expect(errorOf(await used.respond(good)).type).toBe("NotAuthorizedException");
  });

  it("checks the TIMESTAMP's format and its distance from the emulator clock", async () => {
    const { email } = await createConfirmedUser(emulator);
    const padded = await startSrp(emulator, email);
    const now = new Date(emulator.now());
    const zeroPadded = formatSrpTimestamp(now.getTime()).replace(/ (\d) (\d\d:)/, " 0$1 $2");
    const wrongShape = now.getUTCDate() < 10 ? zeroPadded : now.toUTCString();
    expect(errorOf(await padded.respond(await padded.prove(password, wrongShape))).type).toBe("InvalidParameterException");

    const stale = await startSrp(emulator, email);
    const tenMinutesAgo = formatSrpTimestamp(emulator.now() - 10 * 60 * 1000);
    expect(errorOf(await stale.respond(await stale.prove(password, tenMinutesAgo))).type).toBe("NotAuthorizedException");

    const skewed = await startSrp(emulator, email);
    const twoMinutesAhead = formatSrpTimestamp(emulator.now() + 2 * 60 * 1000);
    expect((await skewed.respond(await skewed.prove(password, twoMinutesAhead))).status).toBe(200);
  });

  it("accepts a TIMESTAMP from the real clock or the emulator clock after time travel, and neither when far from both", async () => {
    const travelled = await startEmulator();
    try {
      travelled.advanceTime(2 * 60 * 60 * 1000);
      const { email } = await createConfirmedUser(travelled);
      const real = await startSrp(travelled, email);
      expect((await real.respond(await real.prove(password, formatSrpTimestamp(Date.now())))).status).toBe(200);
      const virtual = await startSrp(travelled, email);
      expect((await virtual.respond(await virtual.prove(password, formatSrpTimestamp(travelled.now())))).status).toBe(200);
      const between = await startSrp(travelled, email);
      const farFromBoth = formatSrpTimestamp(Date.now() + 60 * 60 * 1000);
      expect(errorOf(await between.respond(await between.prove(password, farFromBoth)))).toMatchObject({ type: "NotAuthorizedException" });
    } finally {
      await travelled.stop();
    }
  });

  it("expires an SRP challenge after three minutes", async () => {
    const { email } = await createConfirmedUser(emulator);
    const srp = await startSrp(emulator, email);
    emulator.advanceTime(3 * 60 * 1000 + 1);
    const late = await srp.respond(await srp.prove(password, formatSrpTimestamp(emulator.now())));
    expect(errorOf(late)).toMatchObject({ type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." });
  });

  it("gives an unknown user a plausible SRP challenge that always fails", async () => {
    const ghost = freshEmail("ghost");
    const first = await startSrp(emulator, ghost);
    const second = await startSrp(emulator, ghost);
    expect(first.answer.status).toBe(200);
    expect(first.answer.body.ChallengeParameters.USER_ID_FOR_SRP).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.answer.body.ChallengeParameters.SALT).toBe(first.answer.body.ChallengeParameters.SALT);
    expect(errorOf(await first.respond(await first.prove(password)))).toMatchObject({ type: "NotAuthorizedException", message: "Incorrect username or password." });
  });
});

describe("a client that does not prevent user existence errors and allows only SRP", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ preventUserExistenceErrors: false, authFlows: ["ALLOW_USER_SRP_AUTH"] });
  });
  afterAll(() => emulator.stop());

  it("says the user does not exist", async () => {
    const srp = await startSrp(emulator, freshEmail("ghost"));
    expect(errorOf(srp.answer)).toMatchObject({ type: "UserNotFoundException", message: "User does not exist." });
  });

  it("refuses the flows it does not allow", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const password = await call(emulator, "InitiateAuth", { ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a@b.co", PASSWORD: "x" } });
    expect(errorOf(password)).toMatchObject({ type: "InvalidParameterException", message: "USER_PASSWORD_AUTH flow not enabled for this client" });
    const refresh = await call(emulator, "InitiateAuth", { ClientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: "x" } });
    expect(errorOf(refresh).message).toBe("REFRESH_TOKEN_AUTH flow not enabled for this client");
  });
});

describe("a client with a secret", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clientSecret: true });
  });
  afterAll(() => emulator.stop());
  const hash = (username: string) =>
    computeSecretHash({ clientSecret: emulator.config.clientSecret!, clientId: emulator.config.userPoolClientId, username });

  it("exposes its secret in the config", () => {
    expect(emulator.config.clientSecret).toMatch(/^[a-z0-9]{51}$/);
  });

  it("requires SECRET_HASH on sign-up, confirmation and every sign-in step", async () => {
    const ClientId = emulator.config.userPoolClientId;
    const email = freshEmail();
    const missing = await call(emulator, "SignUp", { ClientId, Username: email, Password: password });
    expect(errorOf(missing)).toMatchObject({ type: "NotAuthorizedException", message: `Client ${ClientId} is configured with secret but SECRET_HASH was not received` });
    const bad = await call(emulator, "SignUp", { ClientId, Username: email, Password: password, SecretHash: hash("someone-else") });
    expect(errorOf(bad)).toMatchObject({ type: "NotAuthorizedException", message: `Unable to verify secret hash for client ${ClientId}` });
    const { sub } = await createConfirmedUser(emulator, email, { SecretHash: hash(email) });

    const noHash = await call(emulator, "InitiateAuth", { ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } });
    expect(errorOf(noHash).type).toBe("NotAuthorizedException");
    const withHash = await call(emulator, "InitiateAuth", {
      ClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash(email) },
    });
    expect(withHash.status).toBe(200);
    expect(errorOf(await call(emulator, "ResendConfirmationCode", { ClientId, Username: email })).type).toBe("NotAuthorizedException");

    const srp = await startSrp(emulator, email, { SECRET_HASH: hash(email) });
    const responses = await srp.prove(password);
    expect(errorOf(await srp.respond(responses)).message).toBe(`Client ${ClientId} is configured with secret but SECRET_HASH was not received`);
    const srp2 = await startSrp(emulator, email, { SECRET_HASH: hash(email) });
    expect((await srp2.respond({ ...(await srp2.prove(password)), SECRET_HASH: hash(sub) })).status).toBe(200);

    const refresh = await call(emulator, "GetTokensFromRefreshToken", { ClientId, RefreshToken: withHash.body.AuthenticationResult.RefreshToken });
    expect(errorOf(refresh).type).toBe("NotAuthorizedException");
    const refreshed = await call(emulator, "GetTokensFromRefreshToken", {
      ClientId,
      RefreshToken: withHash.body.AuthenticationResult.RefreshToken,
      ClientSecret: emulator.config.clientSecret,
    });
    expect(refreshed.status).toBe(200);
    const legacy = await call(emulator, "InitiateAuth", {
      ClientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: withHash.body.AuthenticationResult.RefreshToken, SECRET_HASH: hash(sub) },
    });
    expect(legacy.status).toBe(200);
  });
});
