import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import type { EmulatorCore } from "../src/create-emulator.js";

/** What a Cognito JSON call answered. */
export interface Answer {
  status: number;
  body: Record<string, any>;
  headers: Headers;
}

/** One Cognito call over real HTTP with plain fetch. */
export async function call(emulator: { url: string }, operation: string, body: unknown, target = "AWSCognitoIdentityProviderService"): Promise<Answer> {
  const response = await fetch(`${emulator.url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${target}.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any>, headers: response.headers };
}

/** Expects a Cognito error answer. */
export function errorOf(answer: Answer): { type: string; message: string; status: number; header: string | null } {
  return { type: answer.body.__type, message: answer.body.message, status: answer.status, header: answer.headers.get("x-amzn-errortype") };
}

export const password = "Correct-horse-1";
let counter = 0;
/** A fresh email per test, so tests sharing an emulator never collide. */
export const freshEmail = (label = "user") => `${label}.${Date.now().toString(36)}.${counter++}@example.com`;

/** Signs a user up and confirms them with the code from the outbox. */
export async function createConfirmedUser(emulator: EmulatorCore, email = freshEmail(), extra: Record<string, unknown> = {}) {
  const signUp = await call(emulator, "SignUp", { ClientId: emulator.config.userPoolClientId, Username: email, Password: password, ...extra });
  if (signUp.status !== 200) throw new Error(`SignUp failed: ${JSON.stringify(signUp.body)}`);
  const code = emulator.outbox.latest(email)?.code;
  const confirm = await call(emulator, "ConfirmSignUp", { ClientId: emulator.config.userPoolClientId, Username: email, ConfirmationCode: code, ...pick(extra, "SecretHash") });
  if (confirm.status !== 200) throw new Error(`ConfirmSignUp failed: ${JSON.stringify(confirm.body)}`);
  return { email, sub: signUp.body.UserSub as string };
}

const pick = (o: Record<string, unknown>, key: string) => (key in o ? { [key]: o[key] } : {});

/** Signs in with USER_PASSWORD_AUTH and returns the AuthenticationResult. */
export async function signIn(emulator: EmulatorCore, email: string, pass = password) {
  const answer = await call(emulator, "InitiateAuth", {
    ClientId: emulator.config.userPoolClientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: email, PASSWORD: pass },
  });
  if (answer.status !== 200) throw new Error(`InitiateAuth failed: ${JSON.stringify(answer.body)}`);
  return answer.body.AuthenticationResult as { AccessToken: string; IdToken: string; RefreshToken: string; ExpiresIn: number; TokenType: string };
}

// amazon-cognito-identity-js does the SRP maths on the client side of these tests, so the
// emulator's server side is checked against maths nobody here wrote.
const require = createRequire(import.meta.url);
const AuthenticationHelper = require("amazon-cognito-identity-js/lib/AuthenticationHelper.js").default;
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger.js").default;
const DateHelper = require("amazon-cognito-identity-js/lib/DateHelper.js").default;

/**
 * The client's half of SRP: its SRP_A, and the PASSWORD_VERIFIER answer to a challenge's
 * parameters (from USER_SRP_AUTH, or USER_AUTH's PASSWORD_SRP).
 */
export async function createSrpClient(emulator: EmulatorCore) {
  const poolName = emulator.config.userPoolId.split("_")[1]!;
  const helper = new AuthenticationHelper(poolName);
  const A: string = await new Promise((resolve, reject) => helper.getLargeAValue((err: Error | null, a: any) => (err ? reject(err) : resolve(a.toString(16)))));
  const prove = async (params: Record<string, string>, pass: string, timestamp: string = new DateHelper().getNowString()) => {
    const hkdf: Buffer = await new Promise((resolve, reject) =>
      helper.getPasswordAuthenticationKey(params.USER_ID_FOR_SRP, pass, new BigInteger(params.SRP_B, 16), new BigInteger(params.SALT, 16), (err: Error | null, key: Buffer) =>
        err ? reject(err) : resolve(key),
      ),
    );
    const signature = createHmac("sha256", hkdf)
      .update(Buffer.concat([Buffer.from(poolName), Buffer.from(params.USER_ID_FOR_SRP!), Buffer.from(params.SECRET_BLOCK!, "base64"), Buffer.from(timestamp)]))
      .digest("base64");
    return {
      USERNAME: params.USER_ID_FOR_SRP!,
      PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK!,
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    } as Record<string, string>;
  };
  return { A, prove };
}

/** The client's half of SRP, step by step, so tests can tamper with any part. */
export async function startSrp(emulator: EmulatorCore, username: string, extraParameters: Record<string, string> = {}) {
  const srp = await createSrpClient(emulator);
  const answer = await call(emulator, "InitiateAuth", {
    ClientId: emulator.config.userPoolClientId,
    AuthFlow: "USER_SRP_AUTH",
    AuthParameters: { USERNAME: username, SRP_A: srp.A, ...extraParameters },
  });
  const prove = (pass: string, timestamp?: string) => srp.prove(answer.body.ChallengeParameters as Record<string, string>, pass, timestamp);
  const respond = (responses: Record<string, string>, session: string | undefined = answer.body.Session) =>
    call(emulator, "RespondToAuthChallenge", {
      ClientId: emulator.config.userPoolClientId,
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: responses,
      ...(session ? { Session: session } : {}),
    });
  return { answer, prove, respond };
}

/** Decodes a JWT's payload without verifying (only for asserting claims after verification elsewhere). */
export function claimsOf(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

/** One Cognito Identity (identity pool) call over real HTTP. */
export const identityCall = (emulator: { url: string }, operation: string, body: unknown) => call(emulator, operation, body, "AWSCognitoIdentityService");

/** A confirmed user's fresh ID token and the `Logins` map that presents it to the identity pool. */
export async function userPoolLogin(emulator: EmulatorCore, email?: string) {
  const user = await createConfirmedUser(emulator, email);
  const { IdToken } = await signIn(emulator, user.email);
  return { ...user, idToken: IdToken, logins: { [emulator.userPoolLoginKey]: IdToken } };
}

/** An AWS SDK v3 user pool client pointed at the emulator, with dummy credentials and no retries. */
export function sdkClientFor(emulator: { url: string; config: { region: string } }): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: emulator.config.region,
    endpoint: emulator.url,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "emulator" },
    maxAttempts: 1,
  });
}
