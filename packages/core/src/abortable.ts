import { AuthError } from "./errors.js";

/**
 * Checks a caller's optional `signal`: anything but an AbortSignal (or `undefined`) is a
 * `TypeError`, thrown at once, before any work starts.
 *
 * @example
 * checkSignal(options.signal, "getCredentials");
 */
export function checkSignal(signal: unknown, operation: string): asserts signal is AbortSignal | undefined {
  const candidate = signal as Partial<AbortSignal> | null | undefined;
  if (signal !== undefined && (typeof candidate?.aborted !== "boolean" || typeof candidate.addEventListener !== "function")) {
    throw new TypeError(`${operation}: \`signal\` must be an AbortSignal`);
  }
}

/** The `ERR_ABORTED` error of an aborted `signal`, its reason as the cause. */
export function abortedError(signal: AbortSignal): AuthError {
  return new AuthError("ERR_ABORTED", "The request was aborted", { cause: signal.reason });
}

/**
 * Runs `work` for a caller that may give up: the result rejects with `ERR_ABORTED` as soon as
 * `signal` aborts, and `work` never starts when it already has. Whatever `work` ends with
 * is always handled here, so a caller that gave up leaves no unhandled rejection behind
 * (work shared with other callers goes on for them).
 *
 * @example
 * return abortable(options.signal, () => flight);
 */
export function abortable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (!signal) return work();
  if (signal.aborted) return Promise.reject(abortedError(signal));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(abortedError(signal));
    signal.addEventListener("abort", abort);
    // `work` may throw before it returns a promise: that, too, is this call's rejection.
    new Promise<T>((settle) => settle(work())).then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
