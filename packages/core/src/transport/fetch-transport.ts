import { AuthError } from "../errors.js";
import type { Clock, Platform } from "../platform/types.js";
import { secretsOf, serviceError } from "./error-map.js";
import type { CognitoTransport, TransportCallOptions, TransportEndpoints } from "./types.js";

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions extends TransportEndpoints {
  /** Where `fetch` and timers come from; the globals, read at call time, otherwise. */
  platform?: { fetch?: Platform["fetch"]; clock?: Clock };
  /** Per-request time limit in ms; past it the call rejects with `ERR_TIMEOUT`. Default 15 000. */
  timeoutMs?: number;
}

/**
 * The default {@link CognitoTransport}: one `POST` per operation in Cognito's JSON 1.1
 * protocol, with nothing but `fetch`.
 *
 * @example
 * const transport = createFetchTransport({ region: "eu-west-1" });
 * const client = createAuthClient(config, { transport });
 */
export function createFetchTransport(options: FetchTransportOptions): CognitoTransport {
  const { region, platform = {}, timeoutMs = 15_000 } = options;
  const send = async (url: string, target: string, input: unknown, call: TransportCallOptions = {}): Promise<any> => {
    const secrets = secretsOf(input);
    const controller = new AbortController();
    const signal = call.signal;
    let timedOut = false;
    const onAbort = () => controller.abort();
    if (signal?.aborted) throw aborted(signal);
    signal?.addEventListener("abort", onAbort);
    const clock = platform.clock;
    const timer = (clock ? clock.setTimeout.bind(clock) : setTimeout)(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    // Our own abort (time limit) or the caller's explains a failure better than its message.
    const interrupted = () => {
      if (timedOut) throw new AuthError("ERR_TIMEOUT", `${target}: timeout`, { retryable: true });
      if (signal?.aborted) throw aborted(signal);
    };
    let response: Response;
    let text: string;
    try {
      try {
        // Called detached: a browser's fetch throws "Illegal invocation" with a foreign `this`.
        const doFetch = platform.fetch ?? fetch;
        response = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
          body: JSON.stringify(input),
          signal: controller.signal,
        });
      } catch (cause) {
        interrupted();
        throw new AuthError("ERR_NETWORK", `${target}: network error`, { retryable: true, cause });
      }
      try {
        text = await response.text();
      } catch (cause) {
        interrupted();
        // The connection broke mid-answer: as transient as a network failure.
        throw new AuthError("ERR_BAD_RESPONSE", `${target}: answer cut off`, {
          retryable: true,
          status: response.status,
          cause,
        });
      }
    } finally {
      if (clock) clock.clearTimeout(timer);
      else clearTimeout(timer as number);
      signal?.removeEventListener("abort", onAbort);
    }
    const status = response.status;
    let body: unknown;
    try {
      // Cognito sends timestamps as epoch seconds; the SDK's types (and its transport) say Date.
      body = text === "" ? {} : JSON.parse(text, (key, value) => (typeof value === "number" && (key === "Expiration" || key.endsWith("Date")) ? new Date(value * 1000) : value));
    } catch {
      body = undefined;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new AuthError("ERR_BAD_RESPONSE", `${target}: bad answer (${status})`, {
        status,
        retryable: status >= 500,
      });
    }
    if (status < 300) return body;
    const { __type, message, Message } = body as Record<string, unknown>;
    throw serviceError({
      type: typeof __type === "string" ? __type : (response.headers.get("x-amzn-errortype") ?? undefined),
      message: typeof message === "string" ? message : typeof Message === "string" ? Message : undefined,
      status,
      secrets,
    });
  };
  return {
    userPool: (operation, input, call) =>
      send(
        options.userPoolEndpoint ?? `https://cognito-idp.${region}.amazonaws.com/`,
        `AWSCognitoIdentityProviderService.${operation}`,
        input,
        call,
      ),
    identityPool: (operation, input, call) =>
      send(
        options.identityPoolEndpoint ?? `https://cognito-identity.${region}.amazonaws.com/`,
        `AWSCognitoIdentityService.${operation}`,
        input,
        call,
      ),
  };
}

function aborted(signal: AbortSignal): AuthError {
  return new AuthError("ERR_ABORTED", "Aborted", { cause: signal.reason });
}
