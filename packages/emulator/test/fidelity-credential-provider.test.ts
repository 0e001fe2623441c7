import { fromCognitoIdentityPool } from "@aws-sdk/credential-provider-cognito-identity";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { identityCall, userPoolLogin } from "./support.js";

// The AWS SDK's own Cognito credential provider is a client nobody here wrote: if it gets
// working credentials from the emulator, the identity pool protocol is right.
describe("fromCognitoIdentityPool against the emulator", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());
  const provider = (logins?: Record<string, string>) =>
    fromCognitoIdentityPool({
      identityPoolId: emulator.config.identityPoolId!,
      ...(logins ? { logins } : {}),
      clientConfig: { endpoint: emulator.url, region: emulator.config.region, maxAttempts: 1 },
    });
  const callerArn = async (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => {
    const sts = new STSClient({ region: emulator.config.region, endpoint: emulator.url, credentials, maxAttempts: 1 });
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
    } finally {
      sts.destroy();
    }
  };

  it("gets working guest credentials", async () => {
    const before = emulator.callCount("GetId");
    const credentials = await provider()();
    expect(credentials).toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/), identityId: expect.stringMatching(/^us-east-1:/) });
    expect(credentials.expiration!.getTime() - emulator.now()).toBeGreaterThan(3590_000);
    expect(emulator.callCount("GetId")).toBe(before + 1);
    expect(await callerArn(credentials)).toMatch(/assumed-role\/Cognito_EmulatorUnauth_Role\/CognitoIdentityCredentials$/);
  });

  it("gets working credentials for a user pool login, under the identity the pool gives that login", async () => {
    const { logins } = await userPoolLogin(emulator);
    const credentials = await provider(logins)();
    const direct = await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId, Logins: logins });
    expect(credentials.identityId).toBe(direct.body.IdentityId);
    expect(await callerArn(credentials)).toMatch(/assumed-role\/Cognito_EmulatorAuth_Role\/CognitoIdentityCredentials$/);
  });

  it("surfaces the identity pool's refusal of a bad login", async () => {
    await expect(provider({ [emulator.userPoolLoginKey]: "not-a-jwt" })()).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid login token. Not a valid OpenId Connect identity token.",
    });
  });
});
