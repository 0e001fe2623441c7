// Test support for the property-based fuzz (test/fuzz.test.ts): how a call ended (settled by
// moving an injected test clock, never by sleeping), which errors a public call may end in,
// and fast-check arbitraries for loose caller input and for Cognito's answers.
import fc from "fast-check";
import { http, HttpResponse, passthrough } from "msw";
import type { SetupServer } from "msw/node";
import { isAuthError } from "@cogkit/core";
import type { TestClock } from "../packages/core/test/test-clock.js";

/** How a call ended: a value, a synchronous throw, a rejection, or nothing within the bound (a hang). */
export type Ending =
  | { kind: "value"; value: unknown }
  | { kind: "throw"; error: unknown }
  | { kind: "reject"; error: unknown }
  | { kind: "hang" };

const realTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Calls `run` and settles what it returns: each round lets real I/O progress for a turn, then
 * moves `clock` to its next timer (backoff, refresh, time limits). A call that has not settled
 * after `rounds` rounds with nothing left to fire is a hang.
 */
export async function endingOf(run: () => unknown, clock?: TestClock, rounds = 3_000): Promise<Ending> {
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    return { kind: "throw", error };
  }
  if (!(result instanceof Promise)) return { kind: "value", value: result };
  let ending: Ending | undefined;
  result.then(
    (value) => (ending = { kind: "value", value }),
    (error: unknown) => (ending = { kind: "reject", error }),
  );
  for (let round = 0; round < rounds && !ending; round++) {
    await realTurn();
    // Real requests get a few turns before time moves: a timer due later must not overtake them.
    if (!ending && clock && round % 4 === 3) {
      const at = clock.nextTimerAt();
      if (at !== undefined) await clock.advanceTo(at);
    }
  }
  return ending ?? { kind: "hang" };
}

/** True for the only errors a public call may end in: an AuthError (any copy) or a TypeError. */
export function isAllowedError(error: unknown): boolean {
  return isAuthError(error) || error instanceof TypeError;
}

/** A short description of an ending, for a failing property's report. */
export function describeEnding(ending: Ending): string {
  if (ending.kind === "hang") return "hang";
  if (ending.kind === "value") return "value";
  const error = ending.error as { name?: string; code?: string; message?: string } | undefined;
  return `${ending.kind}: ${error?.name ?? typeof error}${error?.code ? ` ${error.code}` : ""}: ${String(error?.message ?? error).slice(0, 200)}`;
}

// ---- arbitraries: caller input ----

/** Anything a careless or hostile caller may pass, strings and odd objects included. */
export const loose = fc.oneof(
  { depthSize: "small" },
  fc.string({ maxLength: 40 }),
  fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withTypedArray: true }),
  fc.constantFrom(undefined, null, "", " ", "\u0000", "__proto__", "a".repeat(2_000), Number.NaN, -1, 0, 1e308, Symbol("s")),
);

/** A signal field: none, an aborted one, a live one, or something that is not a signal at all. */
export const signalish = fc.oneof(
  fc.constant(undefined),
  fc.constant("aborted" as const),
  fc.constant("live" as const),
  loose,
);

/** The signal an arbitrary from {@link signalish} stands for. */
export function materialiseSignal(value: unknown): unknown {
  if (value === "aborted") return AbortSignal.abort();
  if (value === "live") return new AbortController().signal;
  return value;
}

/** An input object for one of the client's methods: plausible fields, each possibly wrong, or anything at all. */
export const methodInput = fc.oneof(
  fc.record(
    {
      username: loose,
      password: loose,
      oldPassword: loose,
      newPassword: loose,
      code: loose,
      confirmationCode: loose,
      challengeResponse: loose,
      flow: fc.oneof(fc.constantFrom("srp", "password"), loose),
      attributes: fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }), loose),
      clientMetadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }), loose),
      provider: fc.oneof(fc.constantFrom("google", "facebook", "amazon", "apple"), fc.record({ oidc: loose }), loose),
      token: loose,
      customRoleArn: loose,
      forceRefresh: fc.oneof(fc.boolean(), loose),
      global: fc.oneof(fc.boolean(), loose),
      enabled: loose,
      preferred: loose,
      totp: loose,
      sms: loose,
      email: loose,
      friendlyDeviceName: loose,
      signal: signalish,
    },
    { requiredKeys: [] },
  ),
  loose,
);

// ---- arbitraries: Cognito's answers ----

const base64url = (text: string) => Buffer.from(text).toString("base64url");

/** A string that looks like a JWT (three dotted parts, the middle one maybe JSON claims), or not quite. */
export const jwtLike = fc.oneof(
  fc
    .record(
      {
        sub: fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })),
        exp: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }), fc.jsonValue({ maxDepth: 1 })),
        iat: fc.oneof(fc.integer({ min: 0, max: 4_000_000_000 }), fc.jsonValue({ maxDepth: 1 })),
        token_use: fc.constantFrom("id", "access", "refresh", ""),
        email: fc.string({ maxLength: 20 }),
        "cognito:username": fc.string({ maxLength: 20 }),
        username: fc.string({ maxLength: 20 }),
        "cognito:groups": fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .chain((claims) => fc.boolean().map((polluted) => JSON.stringify(claims).replace(/^\{/, polluted ? '{"__proto__":{"polluted":true},' : "{").replace(",}", "}")))
    .map((claims) => `${base64url('{"alg":"RS256","kid":"k"}')}.${base64url(claims)}.${base64url("sig")}`),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 })).map((parts) => parts.join(".")),
  fc.string({ maxLength: 60 }),
);

const hexish = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{1,768}$/),
  fc.constantFrom("0", "00", "-1", "1", "ff".repeat(384), "x"),
  fc.string({ maxLength: 40 }),
);
const base64ish = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("base64")),
  fc.constantFrom("%%%not base64%%%", "====", "", "a"),
  fc.string({ maxLength: 40 }),
);
const value = fc.jsonValue({ maxDepth: 2 });
const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary }, { weight: 1, arbitrary: value });

const authenticationResult = fc.record(
  {
    AccessToken: field(jwtLike),
    IdToken: field(jwtLike),
    RefreshToken: field(fc.string({ maxLength: 30 })),
    ExpiresIn: field(fc.integer({ min: -10, max: 100_000 })),
    TokenType: field(fc.constant("Bearer")),
    NewDeviceMetadata: value,
  },
  { requiredKeys: [] },
);

const serviceTypes = fc.constantFrom(
  "NotAuthorizedException",
  "UserNotFoundException",
  "TooManyRequestsException",
  "InternalErrorException",
  "ResourceNotFoundException",
  "UnknownOperationException",
  "CognitoLocal#Unsupported",
  "com.amazonaws.cognito#TokenRevokedException",
  "RefreshTokenReuseException",
  "PasswordResetRequiredException",
  "InvalidParameterException",
  "ExpiredCodeException",
);

/** A JSON body shaped like the named operation's answer, any field possibly replaced or missing. */
export function shapedAnswer(operation: string): fc.Arbitrary<unknown> {
  switch (operation) {
    case "InitiateAuth":
    case "RespondToAuthChallenge":
      return fc.record(
        {
          ChallengeName: field(fc.constantFrom("PASSWORD_VERIFIER", "SMS_MFA", "SOFTWARE_TOKEN_MFA", "NEW_PASSWORD_REQUIRED", "SELECT_MFA_TYPE", "MFA_SETUP", "CUSTOM_CHALLENGE", "DEVICE_SRP_AUTH", "EMAIL_OTP", "WHATEVER")),
          ChallengeParameters: field(
            fc.record(
              {
                SALT: field(hexish),
                SRP_B: field(hexish),
                SECRET_BLOCK: field(base64ish),
                USERNAME: field(fc.string({ maxLength: 20 })),
                USER_ID_FOR_SRP: field(fc.string({ maxLength: 20 })),
                CODE_DELIVERY_DESTINATION: field(fc.string({ maxLength: 20 })),
                CODE_DELIVERY_DELIVERY_MEDIUM: field(fc.constantFrom("SMS", "EMAIL")),
                MFAS_CAN_CHOOSE: field(fc.string({ maxLength: 40 })),
                MFAS_CAN_SETUP: field(fc.string({ maxLength: 40 })),
                requiredAttributes: field(fc.string({ maxLength: 40 })),
                userAttributes: field(fc.string({ maxLength: 40 })),
              },
              { requiredKeys: [] },
            ),
          ),
          Session: field(fc.string({ maxLength: 30 })),
          AuthenticationResult: field(authenticationResult),
        },
        { requiredKeys: [] },
      );
    case "GetTokensFromRefreshToken":
      return fc.record({ AuthenticationResult: field(authenticationResult) }, { requiredKeys: [] });
    case "GetId":
      return fc.record({ IdentityId: field(fc.string({ maxLength: 40 })) }, { requiredKeys: [] });
    case "GetCredentialsForIdentity":
      return fc.record(
        {
          IdentityId: field(fc.string({ maxLength: 40 })),
          Credentials: field(
            fc.record(
              {
                AccessKeyId: field(fc.string({ maxLength: 20 })),
                SecretKey: field(fc.string({ maxLength: 20 })),
                SessionToken: field(fc.string({ maxLength: 20 })),
                Expiration: field(fc.oneof(fc.integer({ min: -1, max: 4_000_000_000 }), fc.double(), fc.string({ maxLength: 24 }))),
              },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      );
    default:
      return value;
  }
}

/** What a fake server answers: status, content type and body text. */
export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** An arbitrary answer to `operation`: shaped, error-shaped, random JSON, random text, with any status. */
export function answerTo(operation: string): fc.Arbitrary<Answer> {
  const body = fc.oneof(
    { weight: 5, arbitrary: shapedAnswer(operation).map((shape) => JSON.stringify(shape)) },
    { weight: 2, arbitrary: fc.record({ __type: field(serviceTypes), message: field(fc.string({ maxLength: 40 })) }, { requiredKeys: [] }).map((shape) => JSON.stringify(shape)) },
    { weight: 1, arbitrary: value.map((json) => JSON.stringify(json)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    { weight: 1, arbitrary: shapedAnswer(operation).map((shape) => JSON.stringify(shape)).chain((text) => fc.nat({ max: text.length }).map((cut) => text.slice(0, cut))) },
  );
  const status = fc.oneof({ weight: 6, arbitrary: fc.constant(200) }, { weight: 3, arbitrary: fc.constantFrom(400, 403, 404, 429, 500, 501, 502, 503) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) });
  const contentType = fc.oneof({ weight: 6, arbitrary: fc.constant("application/x-amz-json-1.1") }, { weight: 1, arbitrary: fc.constantFrom("application/json", "text/html", "text/plain", "") });
  return fc.record({ status, contentType, body });
}

/** How many requests one property run may make before the fake server calls it a storm. */
export const stormCap = 40;

/** The answer after {@link stormCap} requests: a 503, so a client that calls in a loop backs off instead of hanging the suite. */
const stormBreaker: Answer = { status: 503, contentType: "application/x-amz-json-1.1", body: '{"__type":"InternalErrorException","message":"storm"}' };

/**
 * Answers every request to `url` from `answers` by operation (the `X-Amz-Target` suffix), in
 * order, the last one repeating; operations without answers get `fallback`, or go through.
 * Past {@link stormCap} requests it answers 503: a client that calls again and again without
 * waiting (a storm) is caught by counting the calls seen, which it returns.
 */
export function serveAnswers(server: Pick<SetupServer, "use">, url: string, answers: Record<string, Answer[]>, fallback?: Answer) {
  const calls: string[] = [];
  const used = new Map<string, number>();
  server.use(
    http.post(`${url}/`, ({ request }) => {
      const operation = (request.headers.get("x-amz-target") ?? "").split(".").pop() ?? "";
      if (calls.length >= stormCap) {
        calls.push(operation);
        return new HttpResponse(stormBreaker.body, { status: stormBreaker.status, headers: { "content-type": stormBreaker.contentType } });
      }
      const list = answers[operation];
      if (!list || list.length === 0) {
        if (!fallback) return passthrough();
        return new HttpResponse(fallback.body, { status: fallback.status, headers: { "content-type": fallback.contentType } });
      }
      calls.push(operation);
      const index = used.get(operation) ?? 0;
      used.set(operation, index + 1);
      const answer = list[Math.min(index, list.length - 1)]!;
      // A status outside what a Response may carry (1xx, 204-with-body...) is answered as 200.
      const status = [204, 205, 304].includes(answer.status) ? 200 : answer.status;
      return new HttpResponse(answer.body, { status, headers: answer.contentType ? { "content-type": answer.contentType } : {} });
    }),
  );
  return calls;
}
