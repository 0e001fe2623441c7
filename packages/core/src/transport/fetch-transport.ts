import { AuthError } from "../errors.js";
import { isRecord } from "../is-record.js";
import type { Clock, Platform } from "../platform/types.js";
import { secretsOf, serviceError } from "./error-map.js";
import type { CognitoTransport, TransportCallOptions, TransportEndpoints } from "./types.js";

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions extends TransportEndpoints {
  /** Where `fetch` and timers come from; the globals, read at call time, otherwise. */
  platform?: {
    /** The `fetch` that sends each request; the global one, read at call time, by default. */
    fetch?: Platform["fetch"];
    /** The clock of the request timeout's timer. */
    clock?: Clock;
  };
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
  const send = async (url: string, target: string, input: unknown, { signal }: TransportCallOptions = {}): Promise<any> => {
    const secrets = secretsOf(input);
    if (signal?.aborted) throw aborted(signal);
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener("abort", abort);
    // The globals (read now, not at import) when no clock is injected.
    const timers: Pick<Clock, "setTimeout" | "clearTimeout"> = platform.clock ?? (globalThis as never);
    let timedOut = false;
    const timer = timers.setTimeout(() => {
      timedOut = true;
      abort();
    }, timeoutMs);
    let response: Response | undefined;
    let text: string;
    try {
      // Called detached: a browser's fetch throws "Illegal invocation" with a foreign `this`.
      const doFetch = platform.fetch ?? fetch;
      response = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
        body: JSON.stringify(input),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (cause) {
      // Our own abort (time limit) or the caller's explains a failure better than its message.
      if (timedOut) throw new AuthError("ERR_TIMEOUT", `${target}: timeout`, { retryable: true });
      if (signal?.aborted) throw aborted(signal);
      // No answer is a network failure; an answer cut off mid-way is as transient, but a bad response.
      throw response
        ? new AuthError("ERR_BAD_RESPONSE", `${target}: answer cut off`, { retryable: true, status: response.status, cause })
        : new AuthError("ERR_NETWORK", `${target}: network error`, { retryable: true, cause });
    } finally {
      timers.clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    }
    const { status } = response;
    let body: Record<string, unknown> | undefined;
    try {
      // Cognito sends timestamps as epoch seconds; the SDK's types (and its transport) say Date.
      body = text === "" ? {} : JSON.parse(text, (key, value) => (typeof value === "number" && /^Expiration$|Date$/.test(key) ? new Date(value * 1000) : value));
    } catch {
      // Not JSON: left undefined, refused below.
    }
    // A 501 (Not Implemented) means "no such operation here" whatever its body says.
    if (!isRecord(body) && status != 501) {
      throw new AuthError("ERR_BAD_RESPONSE", `${target}: bad answer (${status})`, { status, retryable: status >= 500 });
    }
    if (status < 300) return body;
    const { __type, message, Message } = body ?? {};
    throw serviceError({
      type: typeof __type === "string" ? __type : (response.headers.get("x-amzn-errortype") ?? undefined),
      message: [message, Message].find((text) => typeof text === "string") as string | undefined,
      status,
      secrets,
    });
  };
  // The two services differ only in their host and target prefix.
  const service =
    (endpoint: string | undefined, host: string, prefix: string) =>
    (operation: string, input: unknown, call?: TransportCallOptions) =>
      send(endpoint ?? `https://${host}.${region}.amazonaws.com/`, `${prefix}.${operation}`, input, call);
  return {
    userPool: service(options.userPoolEndpoint, "cognito-idp", "AWSCognitoIdentityProviderService"),
    identityPool: service(options.identityPoolEndpoint, "cognito-identity", "AWSCognitoIdentityService"),
  };
}

function aborted(signal: AbortSignal): AuthError {
  return new AuthError("ERR_ABORTED", "Aborted", { cause: signal.reason });
}
