import { createEmulator, type EmulatorCore } from "@cogkit/emulator";
import { emulatorHandlers } from "@cogkit/emulator/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthClient, createFetchTransport, isAuthError } from "@cogkit/core";
import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";

// A server that predates GetTokensFromRefreshToken (an older emulator, cognito-local, a proxy):
// it answers `unsupported` for it and the real thing for everything else.
const url = "http://legacy-cognito.test";
let emulator: EmulatorCore;
let unknownAnswers = 0;
let users = 0;
let unsupported: () => Response;
let failWith: { status: number; body: object } | undefined;
const server = setupServer();
const legacy = http.post(`${url}/`, ({ request }) => {
  if (!request.headers.get("x-amz-target")?.endsWith(".GetTokensFromRefreshToken")) return undefined;
  if (failWith) return HttpResponse.json(failWith.body, { status: failWith.status });
  unknownAnswers++;
  return unsupported();
});

// The ways servers say "I do not have that operation".
const unsupportedAnswers = [
  { server: "Cognito (UnknownOperationException)", answer: () => HttpResponse.json({ __type: "UnknownOperationException" }, { status: 400 }) },
  {
    // Exactly cognito-local's answer (Express's res.status(500).json) to a target it lacks.
    server: "cognito-local (500 CognitoLocal#Unsupported)",
    answer: () =>
      HttpResponse.json(
        { __type: "CognitoLocal#Unsupported", message: 'Cognito Local unsupported feature: Unsupported x-amz-target header "GetTokensFromRefreshToken"' },
        { status: 500 },
      ),
  },
  { server: "a proxy (501 Not Implemented)", answer: () => new HttpResponse("Not Implemented", { status: 501 }) },
];

beforeAll(async () => {
  emulator = await createEmulator({ url, quiet: true, clientSecret: true });
  server.use(legacy, ...emulatorHandlers(emulator));
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(() => server.close());

const transports = [
  { name: "fetch", make: () => createFetchTransport(emulator.config) },
  { name: "aws-sdk", make: () => createAwsSdkTransport(emulator.config) },
];

describe.each(transports)("refreshing against a server without GetTokensFromRefreshToken, over $name", ({ make }) => {
  it.each(unsupportedAnswers)("falls back to InitiateAuth REFRESH_TOKEN_AUTH (with SECRET_HASH), and remembers it: $server", async ({ answer }) => {
    unknownAnswers = 0;
    unsupported = answer;
    const client = createAuthClient(emulator.config, { transport: make() });
    const username = `legacy.${++users}@example.com`;
    await client.signUp({ username, password: "Corr3ct-Horse!" });
    await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
    await client.signIn({ username, password: "Corr3ct-Horse!", flow: "password" });
    const signedIn = await client.getTokens();
    const initiated = emulator.callCount("InitiateAuth");

    const first = await client.getTokens({ forceRefresh: true });
    expect(unknownAnswers).toBe(1);
    expect(emulator.callCount("InitiateAuth")).toBe(initiated + 1);
    expect(first.accessToken.jwt).not.toBe(signedIn.accessToken.jwt);
    expect(first.refreshToken).toBe(signedIn.refreshToken);

    await client.getTokens({ forceRefresh: true });
    expect(unknownAnswers).toBe(1);
    expect(emulator.callCount("InitiateAuth")).toBe(initiated + 2);
    client.dispose();
  });

  it("does not fall back on other failures", async () => {
    const client = createAuthClient(emulator.config, { transport: make() });
    const username = `legacy2.${++users}@example.com`;
    await client.signUp({ username, password: "Corr3ct-Horse!" });
    await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
    await client.signIn({ username, password: "Corr3ct-Horse!", flow: "password" });
    const initiated = emulator.callCount("InitiateAuth");
    failWith = { status: 500, body: { __type: "InternalErrorException", message: "boom" } };
    try {
      // Whether a forced refresh that fails rejects or serves the current tokens is the
      // session's business (issue 10, item 5); here only the missing fallback matters.
      await client.getTokens({ forceRefresh: true }).catch(() => undefined);
      expect(isAuthError(client.getSnapshot().error, "ERR_SERVICE")).toBe(true);
      expect(emulator.callCount("InitiateAuth")).toBe(initiated);
    } finally {
      failWith = undefined;
      client.dispose();
    }
  });
});
