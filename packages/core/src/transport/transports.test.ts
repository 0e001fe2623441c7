import { inspect } from "node:util";
import { createServer, type Server } from "node:net";
import { http, HttpResponse, passthrough } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAwsSdkTransport } from "../aws-sdk.js";
import { isAuthError } from "../errors.js";
import { createFetchTransport } from "./fetch-transport.js";
import type { CognitoTransport } from "./types.js";

const endpoints = { region: "eu-west-1", userPoolEndpoint: "https://idp.cognito.test/", identityPoolEndpoint: "https://identity.cognito.test/" };
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const password = "Pa55word-never-shown!";
const refreshToken = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.refresh-token-never-shown";
const clientSecret = "client-secret-hash-never-shown";
const initiate = {
  AuthFlow: "USER_PASSWORD_AUTH" as const,
  ClientId: "client",
  AuthParameters: { USERNAME: "ana", PASSWORD: password, SECRET_HASH: clientSecret },
};

function answer(body: string | object, status = 200, headers: Record<string, string> = {}) {
  server.use(
    http.post("https://idp.cognito.test/", () =>
      typeof body === "string"
        ? new HttpResponse(body, { status, headers: { "content-type": "application/x-amz-json-1.1", ...headers } })
        : HttpResponse.json(body, { status, headers: { "content-type": "application/x-amz-json-1.1", ...headers } }),
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

const transports: Array<[string, () => CognitoTransport]> = [
  ["fetch", () => createFetchTransport(endpoints)],
  ["aws-sdk", () => createAwsSdkTransport(endpoints)],
];

describe.each(transports)("the %s transport", (_, make) => {
  it("posts the operation in Cognito's JSON 1.1 protocol and returns its output", async () => {
    let seen: { target: string | null; type: string | null; body: unknown } | undefined;
    server.use(
      http.post("https://idp.cognito.test/", async ({ request }) => {
        seen = { target: request.headers.get("x-amz-target"), type: request.headers.get("content-type"), body: await request.json() };
        return HttpResponse.json({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: { SALT: "ab" }, Session: "s" });
      }),
    );
    const output = await make().userPool("InitiateAuth", initiate);
    expect(output).toEqual({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: { SALT: "ab" }, Session: "s" });
    expect(seen).toEqual({ target: "AWSCognitoIdentityProviderService.InitiateAuth", type: "application/x-amz-json-1.1", body: initiate });
  });

  it("sends identity pool operations to its endpoint and gives Expiration as a Date", async () => {
    let target: string | null = null;
    server.use(
      http.post("https://identity.cognito.test/", ({ request }) => {
        target = request.headers.get("x-amz-target");
        return HttpResponse.json({ IdentityId: "eu-west-1:1", Credentials: { AccessKeyId: "AK", SecretKey: "SK", SessionToken: "ST", Expiration: 1_900_000_000 } });
      }),
    );
    const output = await make().identityPool("GetCredentialsForIdentity", { IdentityId: "eu-west-1:1" });
    expect(target).toBe("AWSCognitoIdentityService.GetCredentialsForIdentity");
    expect(output.Credentials?.Expiration).toEqual(new Date(1_900_000_000_000));
  });

  it("maps the service's __type, keeping its message, serviceCode and status", async () => {
    answer({ __type: "com.amazonaws.cognito#NotAuthorizedException", message: "Incorrect username or password." }, 400);
    const error = await failure(make().userPool("InitiateAuth", initiate));
    expect(error).toMatchObject({ code: "ERR_NOT_AUTHORIZED", serviceCode: "NotAuthorizedException", status: 400, retryable: false });
    expect(error.message).toBe("Incorrect username or password.");
  });

  it("calls throttling retryable", async () => {
    answer({ __type: "TooManyRequestsException", message: "Too many requests" }, 400);
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_THROTTLED", retryable: true });
  });

  it("calls a 500 a retryable service failure", async () => {
    answer({ __type: "InternalErrorException", message: "Internal error" }, 500);
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_SERVICE", retryable: true, status: 500 });
  });

  it("calls cognito-local's answer to an operation it lacks an unsupported operation, not retryable", async () => {
    // Exactly what cognito-local sends (Express's res.status(500).json) for a target it does not know.
    server.use(
      http.post("https://idp.cognito.test/", () =>
        HttpResponse.json(
          { __type: "CognitoLocal#Unsupported", message: 'Cognito Local unsupported feature: Unsupported x-amz-target header "GetTokensFromRefreshToken"' },
          { status: 500 },
        ),
      ),
    );
    const error = await failure(make().userPool("GetTokensFromRefreshToken", { RefreshToken: refreshToken, ClientId: "client" }));
    expect(error).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false, status: 500, serviceCode: "Unsupported" });
    expect(error.message).toMatch(/unsupported feature/);
  });

  it("calls cognito-local's answer to a flow it lacks (USER_SRP_AUTH) an unsupported operation, not retryable", async () => {
    server.use(
      http.post("https://idp.cognito.test/", () =>
        HttpResponse.json({ __type: "CognitoLocal#Unsupported", message: "Cognito Local unsupported feature: InitAuth with AuthFlow=USER_SRP_AUTH" }, { status: 500 }),
      ),
    );
    const input = { AuthFlow: "USER_SRP_AUTH" as const, ClientId: "client", AuthParameters: { USERNAME: "ana", SRP_A: "abc" } };
    expect(await failure(make().userPool("InitiateAuth", input))).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false });
  });

  it("calls UnknownOperationException an unsupported operation, not retryable", async () => {
    answer({ __type: "UnknownOperationException" }, 400);
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false, status: 400 });
  });

  it("calls a 501 an unsupported operation, not retryable, whatever its body", async () => {
    for (const body of [{}, { __type: "NotImplemented", message: "Not implemented" }, "<html>501 Not Implemented</html>"]) {
      answer(body, 501);
      expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_UNSUPPORTED_OPERATION", retryable: false, status: 501 });
    }
  });

  it("calls a non-JSON answer a bad response", async () => {
    answer("<html>Bad gateway</html>", 200);
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_BAD_RESPONSE", retryable: false });
  });

  it("calls a truncated answer a bad response", async () => {
    answer('{"AuthenticationResult":{"AccessToken":"eyJ', 200);
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_BAD_RESPONSE" });
  });

  it("calls a non-JSON 502 a retryable bad response", async () => {
    answer("<html>Bad gateway</html>", 502);
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_BAD_RESPONSE", retryable: true, status: 502 });
  });

  it("calls a network failure retryable", async () => {
    server.use(http.post("https://idp.cognito.test/", () => HttpResponse.error()));
    expect(await failure(make().userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_NETWORK", retryable: true });
  });

  it("calls a connection the server resets a retryable network failure, not a timeout", async () => {
    // A real socket, closed as soon as it opens: what a crashed proxy or a dropped network gives.
    const resetting: Server = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(resetting.address() as { port: number }).port}/`;
    server.use(http.post(url, () => passthrough()));
    try {
      const transport = make === transports[0]![1] ? createFetchTransport({ ...endpoints, userPoolEndpoint: url }) : createAwsSdkTransport({ ...endpoints, userPoolEndpoint: url });
      expect(await failure(transport.userPool("InitiateAuth", initiate))).toMatchObject({ code: "ERR_NETWORK", retryable: true });
    } finally {
      await new Promise((resolve) => resetting.close(resolve));
    }
  });

  it.each([
    [{ __type: [], message: [] }, 400],
    [{ __type: { name: "x" }, message: 5 }, 500],
    [{ __type: 7, Message: { text: "x" } }, 400],
  ])("calls an error answer whose __type or message is not a string (%j, %i) an AuthError", async (body, status) => {
    answer(body, status);
    const error = await failure(make().userPool("InitiateAuth", initiate));
    expect(error.retryable).toBe(status >= 500);
  });

  it("rejects with ERR_ABORTED when the caller aborts", async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    server.use(
      http.post("https://idp.cognito.test/", async () => {
        arrived();
        return new Promise<never>(() => {});
      }),
    );
    const controller = new AbortController();
    const pending = failure(make().userPool("InitiateAuth", initiate, { signal: controller.signal }));
    await arrival;
    controller.abort();
    expect(await pending).toMatchObject({ code: "ERR_ABORTED", retryable: false });
  });

  it("never lets a password, token or secret reach an error or its causes", async () => {
    const input = { ...initiate, AuthParameters: { ...initiate.AuthParameters, REFRESH_TOKEN: refreshToken } };
    const echo = async ({ request }: { request: Request }) =>
      HttpResponse.json({ __type: "InvalidParameterException", message: `You sent ${await request.text()}` }, { status: 400 });
    const answers = [
      () => server.use(http.post("https://idp.cognito.test/", echo)),
      () => answer("not json", 500),
      () => server.use(http.post("https://idp.cognito.test/", () => HttpResponse.error())),
    ];
    for (const use of answers) {
      use();
      const error = await failure(make().userPool("InitiateAuth", input));
      const dump = inspect(error, { depth: 20, showHidden: true }) + JSON.stringify(error) + String(error.stack);
      for (const secret of [password, refreshToken, clientSecret]) expect(dump).not.toContain(secret);
    }
  });
});

describe("the fetch transport's time limit", () => {
  it("rejects with a retryable ERR_TIMEOUT when the limit passes", async () => {
    const timers: Array<{ callback: () => void; ms: number }> = [];
    const clock = {
      now: () => 0,
      setTimeout: (callback: () => void, ms: number) => timers.push({ callback, ms }),
      clearTimeout: () => {},
    };
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    server.use(
      http.post("https://idp.cognito.test/", async () => {
        arrived();
        return new Promise<never>(() => {});
      }),
    );
    const pending = failure(createFetchTransport({ ...endpoints, timeoutMs: 5000, platform: { clock } }).userPool("InitiateAuth", initiate));
    await arrival;
    expect(timers.map((timer) => timer.ms)).toEqual([5000]);
    timers[0]!.callback();
    expect(await pending).toMatchObject({ code: "ERR_TIMEOUT", retryable: true });
  });
});
