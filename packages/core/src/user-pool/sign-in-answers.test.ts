// A sign-in's bad server answers, at the HTTP boundary: whatever the server says, signIn
// ends in an AuthError — ERR_BAD_RESPONSE for an answer it cannot use — never in a
// TypeError, RangeError, SyntaxError or DOMException from decoding it.
import { inspect } from "node:util";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAuthClient } from "../client.js";
import { isAuthError } from "../errors.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const config = {
  region: "eu-west-1",
  userPoolId: "eu-west-1_answers",
  userPoolClientId: "client",
  userPoolEndpoint: "https://idp.cognito.test/",
};
const good = { SALT: "a1b2c3", SRP_B: "f".repeat(512), SECRET_BLOCK: "c2VjcmV0LWJsb2Nr", USERNAME: "ana", USER_ID_FOR_SRP: "ana" };

/** The server answers InitiateAuth with a PASSWORD_VERIFIER challenge of these parameters. */
function challengeWith(parameters: Record<string, unknown>) {
  server.use(
    http.post(config.userPoolEndpoint, () =>
      HttpResponse.json(
        { ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: parameters, Session: "s" },
        { headers: { "content-type": "application/x-amz-json-1.1" } },
      ),
    ),
  );
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAuthError(error)) throw new Error(`expected an AuthError, got ${inspect(error)}`);
  return error;
}

describe("signIn with SRP, when the PASSWORD_VERIFIER challenge is malformed", () => {
  it.each([
    ["a SECRET_BLOCK that is not base64", { ...good, SECRET_BLOCK: "%%%not base64%%%" }],
    ["a SECRET_BLOCK of a length base64 cannot have", { ...good, SECRET_BLOCK: "abcde" }],
    ["no SECRET_BLOCK", { ...good, SECRET_BLOCK: undefined }],
    ["an SRP_B that is not hex", { ...good, SRP_B: "xyz" }],
    ["an SRP_B that is zero modulo N", { ...good, SRP_B: "0" }],
    ["a SALT that is not hex", { ...good, SALT: "salt!" }],
    ["no USER_ID_FOR_SRP", { ...good, USER_ID_FOR_SRP: undefined }],
    ["a USER_ID_FOR_SRP that is not a string", { ...good, USER_ID_FOR_SRP: { id: 1 } }],
    ["a SECRET_BLOCK that is not a string", { ...good, SECRET_BLOCK: 42 }],
  ])("rejects %s with ERR_BAD_RESPONSE", async (_, parameters) => {
    challengeWith(parameters);
    const client = createAuthClient(config);
    const error = await failure(client.signIn({ username: "ana", password: "Corr3ct-Horse!" }));
    expect(error.code).toBe("ERR_BAD_RESPONSE");
    expect(error.retryable).toBe(false);
    client.dispose();
  });
});
