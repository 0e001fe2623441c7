import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator, type EmulatorOptions } from "../src/index.js";
import { claimsOf, createConfirmedUser, errorOf, identityCall, signIn } from "./support.js";

const role = (name: string) => `arn:aws:iam::210987654321:role/${name}`;
const roles = { admin: role("Admin"), editor: role("Editor"), viewer: role("Viewer"), twin: role("Twin"), auth: role("SignedIn"), guest: role("Guest") };

const options = (resolution?: "AuthenticatedRole" | "Deny"): EmulatorOptions => ({
  auth: { loginWith: { email: true }, groups: ["plain"] },
  groupRoles: {
    admins: { roleArn: roles.admin, precedence: 1 },
    editors: { roleArn: roles.editor, precedence: 5 },
    viewers: { roleArn: roles.viewer },
    twins: { roleArn: roles.twin, precedence: 1 },
  },
  identityPool: {
    roles: { authenticated: roles.auth, unauthenticated: roles.guest },
    ...(resolution ? { roleMappings: { userPool: { type: "Token", ambiguousRoleResolution: resolution } } } : {}),
  },
});

/** A user in the given groups, signed in, with the identity pool's answer for them. */
async function member(emulator: Emulator, groups: string[]) {
  const { email } = await createConfirmedUser(emulator);
  for (const group of groups) emulator.addUserToGroup(email, group);
  const { IdToken, AccessToken } = await signIn(emulator, email);
  const Logins = { [emulator.userPoolLoginKey]: IdToken };
  const IdentityId = (await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId, Logins })).body.IdentityId as string;
  const credentials = (CustomRoleArn?: string) =>
    identityCall(emulator, "GetCredentialsForIdentity", { IdentityId, Logins, ...(CustomRoleArn ? { CustomRoleArn } : {}) });
  /** The role the credentials really carry, asked of STS with the AWS SDK. */
  const assumedRole = async (CustomRoleArn?: string) => {
    const answer = await credentials(CustomRoleArn);
    if (answer.status !== 200) throw new Error(`GetCredentialsForIdentity: ${JSON.stringify(answer.body)}`);
    const c = answer.body.Credentials;
    const sts = new STSClient({
      region: "us-east-1",
      endpoint: emulator.url,
      credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken },
      maxAttempts: 1,
    });
    try {
      const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
      return Arn!.replace("arn:aws:sts::210987654321:assumed-role/", "arn:aws:iam::210987654321:role/").replace(/\/CognitoIdentityCredentials$/, "");
    } finally {
      sts.destroy();
    }
  };
  return { IdToken, AccessToken, credentials, assumedRole };
}

describe("group roles in user pool tokens", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(options("AuthenticatedRole"));
  });
  afterAll(() => emulator.stop());

  it("lists the roles of the user's groups in the ID token and prefers the lowest precedence", async () => {
    const { IdToken, AccessToken } = await member(emulator, ["editors", "admins", "plain"]);
    expect(claimsOf(IdToken)).toMatchObject({ "cognito:roles": expect.arrayContaining([roles.admin, roles.editor]), "cognito:preferred_role": roles.admin });
    expect(claimsOf(IdToken)["cognito:roles"]).toHaveLength(2);
    expect(claimsOf(AccessToken)).not.toHaveProperty("cognito:roles");
    expect(claimsOf(AccessToken)["cognito:groups"]).toEqual(expect.arrayContaining(["editors", "admins", "plain"]));
  });

  it("sets no preferred role when no group has a precedence or the best one is shared by two roles", async () => {
    const viewer = await member(emulator, ["viewers"]);
    expect(claimsOf(viewer.IdToken)["cognito:roles"]).toEqual([roles.viewer]);
    expect(claimsOf(viewer.IdToken)).not.toHaveProperty("cognito:preferred_role");
    const tied = await member(emulator, ["admins", "twins"]);
    expect(claimsOf(tied.IdToken)).not.toHaveProperty("cognito:preferred_role");
    const none = await member(emulator, ["plain"]);
    expect(claimsOf(none.IdToken)).not.toHaveProperty("cognito:roles");
  });
});

describe("role choice with token role mapping, ambiguous → authenticated role", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(options("AuthenticatedRole"));
  });
  afterAll(() => emulator.stop());

  it("gives the token's preferred role", async () => {
    expect(await (await member(emulator, ["admins", "editors"])).assumedRole()).toBe(roles.admin);
  });

  it("gives the token's only role when there is no preferred one", async () => {
    expect(await (await member(emulator, ["viewers"])).assumedRole()).toBe(roles.viewer);
  });

  it("falls back to the authenticated role when the token names several roles without a preference, or none", async () => {
    expect(await (await member(emulator, ["admins", "twins"])).assumedRole()).toBe(roles.auth);
    expect(await (await member(emulator, [])).assumedRole()).toBe(roles.auth);
  });

  it("gives CustomRoleArn only when the token lists it", async () => {
    const user = await member(emulator, ["admins", "editors"]);
    expect(await user.assumedRole(roles.editor)).toBe(roles.editor);
    expect(errorOf(await user.credentials(roles.viewer))).toMatchObject({
      type: "NotAuthorizedException",
      message: `The role '${roles.viewer}' is not in the cognito:roles claim of the login token.`,
    });
  });

  it("gives guests the unauthenticated role and refuses them a CustomRoleArn", async () => {
    const IdentityId = (await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId })).body.IdentityId;
    const custom = await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId, CustomRoleArn: roles.admin });
    expect(errorOf(custom).type).toBe("NotAuthorizedException");
    const answer = await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId });
    expect(answer.status).toBe(200);
  });
});

describe("role choice with token role mapping, ambiguous → deny", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator(options("Deny"));
  });
  afterAll(() => emulator.stop());

  it("denies a token with several roles and no preference, and one with none", async () => {
    const denied = {
      type: "NotAuthorizedException",
      message: `The ambiguous role mapping rules for: ${emulator.userPoolLoginKey} denied this request.`,
    };
    expect(errorOf(await (await member(emulator, ["admins", "twins"])).credentials())).toMatchObject(denied);
    expect(errorOf(await (await member(emulator, [])).credentials())).toMatchObject(denied);
    expect(await (await member(emulator, ["admins", "twins", "editors"])).assumedRole(roles.twin)).toBe(roles.twin);
  });
});

describe("role choice without role mapping", () => {
  it("gives every signed-in user the authenticated role, whatever their groups", async () => {
    const emulator = await startEmulator(options());
    try {
      expect(await (await member(emulator, ["admins"])).assumedRole()).toBe(roles.auth);
    } finally {
      await emulator.stop();
    }
  });

  it("refuses role options that are not IAM role ARNs, and rule-based mappings it does not emulate", async () => {
    await expect(startEmulator({ identityPool: { roles: { authenticated: "Admin" } } })).rejects.toThrow(TypeError);
    await expect(startEmulator({ groupRoles: { admins: { roleArn: "arn:aws:iam::1:role/X" } } })).rejects.toThrow(/groupRoles\.admins\.roleArn/);
    await expect(startEmulator({ identityPool: { roleMappings: { userPool: { type: "Rules" as "Token" } } } })).rejects.toThrow(/not emulated/);
  });
});
