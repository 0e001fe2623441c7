import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { identityCall, userPoolLogin } from "./support.js";

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

// The STS client is the AWS SDK's own, signing with its own SigV4 signer: if the emulator
// accepts it, the credentials really work.
describe("STS GetCallerIdentity with identity pool credentials", () => {
  let emulator: Emulator;
  const clients: STSClient[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ region: "eu-west-1" });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await emulator.stop();
  });
  const sts = (credentials: Credentials, systemClockOffset = 0, region = "eu-west-1") => {
    const client = new STSClient({ region, endpoint: emulator.url, credentials, maxAttempts: 1, systemClockOffset });
    clients.push(client);
    return client;
  };
  const credentialsFor = async (Logins?: Record<string, string>) => {
    const { IdentityId } = (await identityCall(emulator, "GetId", { IdentityPoolId: emulator.config.identityPoolId, ...(Logins ? { Logins } : {}) })).body;
    const answer = await identityCall(emulator, "GetCredentialsForIdentity", { IdentityId, ...(Logins ? { Logins } : {}) });
    const c = answer.body.Credentials;
    return { accessKeyId: c.AccessKeyId as string, secretAccessKey: c.SecretKey as string, sessionToken: c.SessionToken as string };
  };

  it("accepts a guest's credentials and answers the unauthenticated role", async () => {
    const identity = await sts(await credentialsFor()).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: "123456789012",
      Arn: "arn:aws:sts::123456789012:assumed-role/Cognito_EmulatorUnauth_Role/CognitoIdentityCredentials",
      UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:CognitoIdentityCredentials$/),
    });
    expect(identity.$metadata.httpStatusCode).toBe(200);
  });

  it("accepts a signed-in user's credentials and answers the authenticated role", async () => {
    const { logins } = await userPoolLogin(emulator);
    const identity = await sts(await credentialsFor(logins)).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe("arn:aws:sts::123456789012:assumed-role/Cognito_EmulatorAuth_Role/CognitoIdentityCredentials");
    expect(emulator.callCount("GetCallerIdentity")).toBeGreaterThanOrEqual(1);
  });

  it("refuses a tampered secret with SignatureDoesNotMatch", async () => {
    const credentials = await credentialsFor();
    const last = credentials.secretAccessKey.at(-1) === "A" ? "B" : "A";
    const tampered = { ...credentials, secretAccessKey: `${credentials.secretAccessKey.slice(0, -1)}${last}` };
    await expect(sts(tampered).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("refuses an unknown access key or another session token with InvalidClientTokenId", async () => {
    const credentials = await credentialsFor();
    await expect(sts({ ...credentials, accessKeyId: "ASIAAAAAAAAAAAAAAAAA" }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
    });
    const other = await credentialsFor();
    await expect(sts({ ...credentials, sessionToken: other.sessionToken }).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "InvalidClientTokenId",
    });
  });

  it("refuses credentials past their Expiration by the emulator clock with ExpiredToken", async () => {
    const credentials = await credentialsFor();
    emulator.advanceTime(59 * 60 * 1000);
    await expect(sts(credentials).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "123456789012" });
    emulator.advanceTime(60 * 1000);
    await expect(sts(credentials).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "ExpiredToken",
      message: "The security token included in the request is expired",
    });
  });

  it("refuses a body changed after signing, and an unsigned request", async () => {
    const credentials = await credentialsFor();
    const client = sts(credentials);
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string; headers: Record<string, string> };
        request.body = `${request.body}&Extra=1`;
        request.headers["content-length"] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "tamperAfterSigning" },
    );
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });

    const unsigned = await fetch(emulator.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain("<Code>MissingAuthenticationToken</Code>");
  });

  it("takes a signature made by the real clock or the emulator clock, and refuses one 20 minutes from both", async () => {
    const credentials = await credentialsFor();
    emulator.advanceTime(30 * 60 * 1000);
    await expect(sts(credentials).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "123456789012" });
    await expect(sts(credentials, emulator.now() - Date.now()).send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: "123456789012" });
    await expect(sts(credentials, -20 * 60 * 1000).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/),
    });
    await expect(sts(credentials, emulator.now() - Date.now() + 20 * 60 * 1000).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      message: expect.stringMatching(/^Signature not yet current: /),
    });
  });

  /** GetCallerIdentity signed by the AWS SDK's signer with the scope and headers a test picks. */
  const signedCall = async (credentials: Credentials, scope: { region: string; service: string; signHost: boolean }) => {
    const url = new URL(emulator.url);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signer = new SignatureV4({ service: scope.service, region: scope.region, sha256: Sha256, credentials });
    const signed = await signer.sign({
      method: "POST",
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(scope.signHost ? { host: url.host } : {}) },
      body,
    });
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(emulator.url, { method: "POST", headers, body });
    const text = await response.text();
    const xmlText = (tag: string) =>
      (new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1] ?? "").replace(/&(apos|quot|lt|gt|amp);/g, (_, e: string) => ({ apos: "'", quot: '"', lt: "<", gt: ">", amp: "&" })[e]!);
    return { status: response.status, text, code: xmlText("Code"), message: xmlText("Message"), authorization: headers.authorization ?? "" };
  };

  it("takes a request signed for sts in its own region with host signed", async () => {
    const answer = await signedCall(await credentialsFor(), { region: "eu-west-1", service: "sts", signHost: true });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("<GetCallerIdentityResult>");
  });

  it("refuses a signature scoped to another region with SignatureDoesNotMatch, as STS does", async () => {
    const credentials = await credentialsFor();
    await expect(sts(credentials, 0, "us-west-2").send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "SignatureDoesNotMatch",
      message: "Credential should be scoped to a valid region, not 'us-west-2'. ",
      $metadata: { httpStatusCode: 403 },
    });
    const answer = await signedCall(credentials, { region: "us-east-1", service: "sts", signHost: true });
    expect(answer.status).toBe(403);
    expect(answer.code).toBe("SignatureDoesNotMatch");
    expect(answer.message).toBe("Credential should be scoped to a valid region, not 'us-east-1'. ");
  });

  it("refuses a signature scoped to another service with SignatureDoesNotMatch, as STS does", async () => {
    const answer = await signedCall(await credentialsFor(), { region: "eu-west-1", service: "s3", signHost: true });
    expect(answer.authorization).toContain("/eu-west-1/s3/aws4_request");
    expect(answer.status).toBe(403);
    expect(answer.code).toBe("SignatureDoesNotMatch");
    expect(answer.message).toBe("Credential should be scoped to correct service: 'sts'. ");
  });

  it("refuses a signature that does not sign host with IncompleteSignature", async () => {
    const answer = await signedCall(await credentialsFor(), { region: "eu-west-1", service: "sts", signHost: false });
    expect(answer.authorization).not.toMatch(/SignedHeaders=[^,]*host/);
    expect(answer.status).toBe(400);
    expect(answer.code).toBe("IncompleteSignature");
    expect(answer.message).toBe("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });
});
