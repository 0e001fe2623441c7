// Sign-in against a server whose answer is wrong in one field (msw in front of an in-process
// emulator that answers everything else for real): whatever the field, signIn rejects with
// AuthError ERR_BAD_RESPONSE — never a TypeError, RangeError or SyntaxError from reading it —
// and nobody is signed in.
import { inspect } from "node:util";
import { createEmulator, type EmulatorCore } from "@cogkit/emulator";
import { emulatorHandlers } from "@cogkit/emulator/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAuthClient, createFetchTransport, isAuthError, srpGroup } from "@cogkit/core";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
import { fakeJwt } from "./test-tokens.js";

const url = "http://sign-in-bad-answers.test";
const password = "Corr3ct-Horse!";
let emulator: EmulatorCore;
let users = 0;
/** The next call of `operation` gets `answer` (a JSON body) instead of the emulator's. */
let override: { operation: string; answer: (real: Record<string, unknown>) => unknown } | undefined;
const server = setupServer();

beforeAll(async () => {
  emulator = await createEmulator({ url, quiet: true });
  const real = emulatorHandlers(emulator);
  server.use(
    http.post(`${url}/`, async ({ request }) => {
      const target = request.headers.get("x-amz-target")?.split(".").pop();
      if (!override || target !== override.operation) return undefined;
      const { answer } = override;
      override = undefined;
      // The emulator's own answer, with the one field made wrong.
      const response = await emulator.handle(request.clone());
      const body = JSON.stringify(answer((await response.json()) as Record<string, unknown>));
      return new HttpResponse(body, { headers: { "content-type": "application/x-amz-json-1.1" } });
    }),
    ...real,
  );
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => (override = undefined));
afterAll(() => server.close());

const transports = [
  { name: "fetch", make: () => createFetchTransport(emulator.config) },
  { name: "aws-sdk", make: () => createAwsSdkTransport(emulator.config) },
];

const N = srpGroup().N;
const jwtLike = fakeJwt({ sub: "s", token_use: "id", iat: 1, exp: 2 });
type Result = Record<string, unknown>;
const withResult = (change: (result: Result) => unknown) => (real: Result) => ({
  ...real,
  AuthenticationResult: change(real.AuthenticationResult as Result),
});
const withChallenge = (change: (parameters: Result) => unknown) => (real: Result) => ({
  ...real,
  ChallengeParameters: change(real.ChallengeParameters as Result),
});

/** Answers of the last step (InitiateAuth for the password flow, RespondToAuthChallenge for SRP). */
const badResults: Array<[string, (real: Result) => unknown]> = [
  ["an AuthenticationResult without IdToken", withResult(({ IdToken: _, ...rest }) => rest)],
  ["an AuthenticationResult without RefreshToken", withResult(({ RefreshToken: _, ...rest }) => rest)],
  ["an AuthenticationResult that is a string", withResult(() => "tokens")],
  ["an IdToken that is not a JWT", withResult((result) => ({ ...result, IdToken: "not-a-jwt" }))],
  ["an AccessToken whose payload is not base64", withResult((result) => ({ ...result, AccessToken: "eyJhbGciOiJub25lIn0.%%%.sig" }))],
  ["an IdToken whose payload has a length base64 cannot have", withResult((result) => ({ ...result, IdToken: "eyJhbGciOiJub25lIn0.abcde.sig" }))],
  ["an IdToken whose payload is a JSON array", withResult((result) => ({ ...result, IdToken: `x.${Buffer.from("[1]").toString("base64url")}.sig` }))],
  ["an IdToken whose payload is not UTF-8", withResult((result) => ({ ...result, IdToken: `x.${Buffer.from([0xff, 0xfe, 0xfd]).toString("base64url")}.sig` }))],
  ["tokens that are numbers", withResult((result) => ({ ...result, IdToken: 42, AccessToken: 43 }))],
  ["an id token in place of every token but no refresh token", withResult(() => ({ IdToken: jwtLike, AccessToken: jwtLike }))],
];

/** Answers of USER_SRP_AUTH: the PASSWORD_VERIFIER challenge made wrong. */
const badChallenges: Array<[string, (real: Result) => unknown]> = [
  ["ChallengeParameters that are a string", withChallenge(() => "SALT=00")],
  ["ChallengeParameters that are a list", withChallenge(() => ["SALT"])],
  ["an SRP_B equal to N (zero modulo N)", withChallenge((parameters) => ({ ...parameters, SRP_B: N.toString(16) }))],
  ["an SRP_B of 0", withChallenge((parameters) => ({ ...parameters, SRP_B: "0" }))],
  ["an SRP_B that is not hex", withChallenge((parameters) => ({ ...parameters, SRP_B: "0xZZ" }))],
  ["a SALT that is not hex", withChallenge((parameters) => ({ ...parameters, SALT: "-1" }))],
  ["a SALT that is an object", withChallenge((parameters) => ({ ...parameters, SALT: { hex: "00" } }))],
  ["a SECRET_BLOCK that is not base64", withChallenge((parameters) => ({ ...parameters, SECRET_BLOCK: "not base64!" }))],
  ["a SECRET_BLOCK of a length base64 cannot have", withChallenge((parameters) => ({ ...parameters, SECRET_BLOCK: "abcde" }))],
  ["a SECRET_BLOCK that is a number", withChallenge((parameters) => ({ ...parameters, SECRET_BLOCK: 12345 }))],
  ["no USER_ID_FOR_SRP", withChallenge(({ USER_ID_FOR_SRP: _, ...rest }) => rest)],
  ["a USER_ID_FOR_SRP that is a list", withChallenge((parameters) => ({ ...parameters, USER_ID_FOR_SRP: ["a"] }))],
];

async function newUser() {
  const username = `answers.${++users}@example.com`;
  const client = createAuthClient(emulator.config);
  await client.signUp({ username, password });
  await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
  client.dispose();
  return username;
}

/** The AuthError `promise` rejects with; fails on a resolution or any other error. */
async function authFailure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${inspect(error)}`);
  return error;
}

describe.each(transports)("signIn given a bad server answer, over the $name transport", ({ make }) => {
  it.each(badResults)("rejects %s in the password flow with ERR_BAD_RESPONSE", async (_, answer) => {
    const username = await newUser();
    const client = createAuthClient(emulator.config, { transport: make() });
    override = { operation: "InitiateAuth", answer };
    expect(await authFailure(client.signIn({ username, password, flow: "password" }))).toMatchObject({ code: "ERR_BAD_RESPONSE" });
    expect(client.getSnapshot().status).toBe("signedOut");
    client.dispose();
  });

  it.each(badResults)("rejects %s at the end of SRP with ERR_BAD_RESPONSE", async (_, answer) => {
    const username = await newUser();
    const client = createAuthClient(emulator.config, { transport: make() });
    override = { operation: "RespondToAuthChallenge", answer };
    expect(await authFailure(client.signIn({ username, password }))).toMatchObject({ code: "ERR_BAD_RESPONSE" });
    expect(client.getSnapshot().status).toBe("signedOut");
    client.dispose();
  });

  it.each(badChallenges)("rejects %s in the SRP challenge with ERR_BAD_RESPONSE, sending no proof", async (_, answer) => {
    const username = await newUser();
    const client = createAuthClient(emulator.config, { transport: make() });
    const responses = emulator.callCount("RespondToAuthChallenge");
    override = { operation: "InitiateAuth", answer };
    expect(await authFailure(client.signIn({ username, password }))).toMatchObject({ code: "ERR_BAD_RESPONSE", retryable: false });
    expect(emulator.callCount("RespondToAuthChallenge")).toBe(responses);
    expect(client.getSnapshot().status).toBe("signedOut");
    client.dispose();
  });
});
