import { createRemoteJWKSet, jwtVerify } from "jose";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineAuth } from "@cogkit/core";
import { startEmulator, type Emulator } from "../src/start-emulator.js";
import { computeSecretHash } from "../src/user-pool/secret-hash.js";
import { call, claimsOf, createConfirmedUser, errorOf, freshEmail, identityCall, password, signIn, startSrp } from "./support.js";
import { stateDir } from "./state-support.js";
import { answerDeviceChallenge, confirmDevice } from "./devices-support.js";

const auth = defineAuth({ loginWith: { email: true }, groups: ["ADMINS"] });

describe("a state file", () => {
  let dir: Awaited<ReturnType<typeof stateDir>>;
  const running: Emulator[] = [];
  const start = async (options: Parameters<typeof startEmulator>[0]) => {
    const emulator = await startEmulator(options);
    running.push(emulator);
    return emulator;
  };
  beforeEach(async () => {
    dir = await stateDir();
  });
  afterEach(async () => {
    await Promise.allSettled(running.splice(0).map((e) => e.stop()));
    await dir.remove();
  });

  it("keeps users, groups, identities, keys and refresh tokens across a restart", async () => {
    const first = await start({ auth, state: dir.file });
    const { email } = await createConfirmedUser(first);
    first.addUserToGroup(email, "ADMINS");
    const before = await signIn(first, email);
    const identity = await identityCall(first, "GetId", { IdentityPoolId: first.config.identityPoolId, Logins: { [first.userPoolLoginKey]: before.IdToken } });
    expect(identity.status).toBe(200);

    const second = await dir.restart(first, { auth, state: dir.file });
    running.push(second);
    expect(second.config).toEqual(first.config);
    // The same password signs in again, by SRP too (the verifier survived, not just a hash).
    const after = await signIn(second, email);
    expect(claimsOf(after.IdToken)["cognito:groups"]).toEqual(["ADMINS"]);
    const srp = await startSrp(second, email);
    expect((await srp.respond(await srp.prove(password))).status).toBe(200);
    // Tokens from before the restart verify against the new JWKS and still work.
    const jwks = createRemoteJWKSet(new URL(`${second.url}/${second.config.userPoolId}/.well-known/jwks.json`));
    await expect(jwtVerify(before.IdToken, jwks, { issuer: `${second.url}/${second.config.userPoolId}` })).resolves.toBeTruthy();
    expect((await call(second, "GetUser", { AccessToken: before.AccessToken })).status).toBe(200);
    const refreshed = await call(second, "InitiateAuth", {
      ClientId: second.config.userPoolClientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: before.RefreshToken },
    });
    expect(refreshed.status).toBe(200);
    // The user's identity is the same identity.
    const again = await identityCall(second, "GetId", { IdentityPoolId: second.config.identityPoolId, Logins: { [second.userPoolLoginKey]: after.IdToken } });
    expect(again.body.IdentityId).toBe(identity.body.IdentityId);
    expect(second.identities()).toHaveLength(1);
  });

  it("keeps MFA settings and a global sign-out", async () => {
    const mfaAuth = defineAuth({ loginWith: { email: true }, multifactor: { mode: "OPTIONAL", totp: true } });
    const first = await start({ auth: mfaAuth, state: dir.file });
    const { email } = await createConfirmedUser(first);
    const tokens = await signIn(first, email);
    const { SecretCode } = (await call(first, "AssociateSoftwareToken", { AccessToken: tokens.AccessToken })).body;
    expect((await call(first, "VerifySoftwareToken", { AccessToken: tokens.AccessToken, UserCode: first.totp(SecretCode) })).status).toBe(200);
    expect((await call(first, "SetUserMFAPreference", { AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })).status).toBe(200);
    expect((await call(first, "GlobalSignOut", { AccessToken: tokens.AccessToken })).status).toBe(200);

    const second = await dir.restart(first, { auth: mfaAuth, state: dir.file });
    running.push(second);
    expect(errorOf(await call(second, "GetUser", { AccessToken: tokens.AccessToken })).type).toBe("NotAuthorizedException");
    const answer = await call(second, "InitiateAuth", { ClientId: second.config.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } });
    expect(answer.body.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    const done = await call(second, "RespondToAuthChallenge", {
      ClientId: second.config.userPoolClientId,
      ChallengeName: "SOFTWARE_TOKEN_MFA",
      Session: answer.body.Session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: second.totp(SecretCode) },
    });
    expect(done.status).toBe(200);
  });

  it("keeps users seeded in code and group changes made through the control API", async () => {
    const first = await start({ auth, state: dir.file });
    const email = freshEmail("seeded");
    first.createUser({ username: email, password });
    const added = await fetch(`${first.url}/_emulator/groups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: email, group: "ADMINS" }) });
    expect(added.status).toBe(204);
    const second = await dir.restart(first, { auth, state: dir.file });
    running.push(second);
    expect(claimsOf((await signIn(second, email)).IdToken)["cognito:groups"]).toEqual(["ADMINS"]);
  });

  it("keeps confirmed devices, which still prove themselves by device SRP", async () => {
    const options = { auth, state: dir.file, deviceTracking: { challengeRequiredOnNewDevice: true } };
    const first = await start(options);
    const { email } = await createConfirmedUser(first);
    const result = await signIn(first, email);
    const { answer, device } = await confirmDevice(first, result as typeof result & { NewDeviceMetadata: { DeviceKey: string; DeviceGroupKey: string } });
    expect(answer.status).toBe(200);

    const second = await dir.restart(first, options);
    running.push(second);
    const listed = await call(second, "ListDevices", { AccessToken: (await signIn(second, email)).AccessToken });
    expect(listed.body.Devices.map((d: { DeviceKey: string }) => d.DeviceKey)).toContain(device.deviceKey);
    const withDevice = await call(second, "InitiateAuth", {
      ClientId: second.config.userPoolClientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: email, PASSWORD: password, DEVICE_KEY: device.deviceKey },
    });
    expect(withDevice.body.ChallengeName).toBe("DEVICE_SRP_AUTH");
    const { verifier } = await answerDeviceChallenge(second, { username: withDevice.body.ChallengeParameters.USER_ID_FOR_SRP, session: withDevice.body.Session, device });
    expect(verifier?.body.AuthenticationResult).toBeDefined();
  });

  it("keeps how far emulator time was moved, and signs in after it", async () => {
    const first = await start({ auth, state: dir.file });
    const { email } = await createConfirmedUser(first);
    const movedTo = first.advanceTime(24 * 3600 * 1000);
    const second = await dir.restart(first, { auth, state: dir.file });
    running.push(second);
    expect(second.now()).toBeGreaterThanOrEqual(movedTo);
    const { AccessToken } = await signIn(second, email);
    expect((await call(second, "GetUser", { AccessToken })).status).toBe(200);
  });

  it("keeps the ids it made at the first start, the client secret and the machine client's too", async () => {
    const options = { state: dir.file, clientSecret: true, resourceServers: [{ identifier: "https://api.example.com", scopes: ["read"] }] };
    const first = await start(options);
    const second = await dir.restart(first, options);
    running.push(second);
    expect(second.config.userPoolId).toBe(first.config.userPoolId);
    expect(second.config.userPoolClientId).toBe(first.config.userPoolClientId);
    expect(second.config.clientSecret).toBe(first.config.clientSecret);
    expect(second.config.identityPoolId).toBe(first.config.identityPoolId);
    expect(second.machineClient).toEqual(first.machineClient);
  });

  it("is written at once at the first start, readable by its owner only", async () => {
    await start({ state: join(dir.dir, "nested", "state.json") });
    const info = await stat(join(dir.dir, "nested", "state.json"));
    expect(info.mode & 0o777).toBe(0o600);
  });

  it("is replaced whole by a rename, never written in place, and leaves no temporary file", async () => {
    const emulator = await start({ auth, state: dir.file });
    const before = await stat(dir.file);
    await createConfirmedUser(emulator);
    await emulator.saveState();
    const after = await stat(dir.file);
    // A new inode: the new text went to another file that was renamed over the old one, so a
    // crash mid-write would have left the old file whole.
    expect(after.ino).not.toBe(before.ino);
    expect(await readdir(dir.dir)).toEqual(["emulator-state.json"]);
  });

  it("is not rewritten by reads such as a page polling the outbox", async () => {
    const emulator = await start({ auth, state: dir.file });
    const before = await stat(dir.file);
    for (const path of ["/_emulator/outbox", `/${emulator.config.userPoolId}/.well-known/jwks.json`]) expect((await fetch(`${emulator.url}${path}`)).status).toBe(200);
    await emulator.saveState();
    expect((await stat(dir.file)).ino).toBe(before.ino);
  });

  it("ignores a temporary file a crash left behind, and loads the last whole file", async () => {
    const first = await start({ auth, state: dir.file });
    const { email } = await createConfirmedUser(first);
    await first.stop();
    await writeFile(join(dir.dir, `.emulator-state.json.999.deadbeef.tmp`), '{"format":"cogkit-emulator-state","vers');
    const second = await start({ auth, state: dir.file, port: Number(new URL(first.url).port) });
    await expect(signIn(second, email)).resolves.toBeTruthy();
  });

  it("refuses a corrupt file with an error naming it, and leaves it as it was", async () => {
    await writeFile(dir.file, '{"format":"cogkit-emulator-state","version":1,"data":{');
    await expect(startEmulator({ state: dir.file })).rejects.toThrow(`cogkit-emulator state file ${dir.file} is not valid JSON`);
    expect(await readFile(dir.file, "utf8")).toBe('{"format":"cogkit-emulator-state","version":1,"data":{');
  });

  it("refuses a file of another version or another kind, naming it", async () => {
    await writeFile(dir.file, JSON.stringify({ format: "cogkit-emulator-state", version: 99, data: {} }));
    await expect(startEmulator({ state: dir.file })).rejects.toThrow(`state file ${dir.file} has version 99, and this emulator reads version 1`);
    await writeFile(dir.file, JSON.stringify({ loginWith: { email: true } }));
    await expect(startEmulator({ state: dir.file })).rejects.toThrow(`state file ${dir.file} is not a cogkit-emulator-state file`);
    await writeFile(dir.file, JSON.stringify({ format: "cogkit-emulator-state", version: 1, data: { ids: {} } }));
    await expect(startEmulator({ state: dir.file })).rejects.toThrow(`state file ${dir.file} cannot be used: its ids are missing`);
  });

  it("refuses ids that differ from the ones the file holds, leaving the file as it was", async () => {
    const first = await start({ state: dir.file });
    await first.stop();
    const saved = await readFile(dir.file, "utf8");
    await expect(startEmulator({ state: dir.file, userPoolId: "us-east-1_Other1" })).rejects.toThrow(
      `state file ${dir.file} holds user pool ${first.config.userPoolId}, but us-east-1_Other1 was asked for`,
    );
    await expect(startEmulator({ state: dir.file, region: "eu-west-1" })).rejects.toThrow(`state file ${dir.file} holds pools in us-east-1`);
    expect(await readFile(dir.file, "utf8")).toBe(saved);
  });
});

describe("fixed ids", () => {
  it("come from the options, so an app's config stays valid across restarts", async () => {
    const ids = { userPoolId: "eu-west-1_Example1", userPoolClientId: "example1client", identityPoolId: "eu-west-1:8f1d1a0e-0000-4000-8000-000000000001", clientSecret: "s3cretExample" };
    const emulator = await startEmulator(ids);
    try {
      expect(emulator.config).toMatchObject({ region: "eu-west-1", ...ids });
      // The fixed secret is the one SECRET_HASH is checked against.
      const email = freshEmail("fixed");
      const SecretHash = computeSecretHash({ clientSecret: ids.clientSecret, clientId: ids.userPoolClientId, username: email });
      await expect(createConfirmedUser(emulator, email, { SecretHash })).resolves.toMatchObject({ email });
    } finally {
      await emulator.stop();
    }
  });

  it("come from an auth config that holds them", async () => {
    const config = { ...auth, region: "ap-southeast-2", userPoolId: "ap-southeast-2_Example2", userPoolClientId: "example2client" };
    const emulator = await startEmulator({ auth: config });
    try {
      expect(emulator.config).toMatchObject({ region: "ap-southeast-2", userPoolId: "ap-southeast-2_Example2", userPoolClientId: "example2client", groups: ["ADMINS"] });
    } finally {
      await emulator.stop();
    }
  });

  it("are refused, naming the field, when malformed", async () => {
    await expect(startEmulator({ userPoolId: "Example1" })).rejects.toThrow(/^userPoolId must be a user pool id such as us-east-1_Example1/);
    await expect(startEmulator({ region: "eu-west-1", userPoolId: "us-east-1_Example1" })).rejects.toThrow("userPoolId us-east-1_Example1 is not in the region eu-west-1");
    await expect(startEmulator({ userPoolClientId: "has spaces" })).rejects.toThrow(/^userPoolClientId must be an app client id/);
    await expect(startEmulator({ identityPoolId: "us-east-1_nope" })).rejects.toThrow(/^identityPoolId must be an identity pool id/);
    await expect(startEmulator({ auth: { ...auth, userPoolId: "nope" } })).rejects.toThrow(/^auth\.userPoolId must be/);
  });
});
