/**
 * A failure or stall to apply to the next calls of one operation.
 *
 * @example
 * emulator.injectFault("GetTokensFromRefreshToken", { status: 503, times: 2 });
 * emulator.injectFault("InitiateAuth", { delayMs: 2_000 });
 */
export interface Fault {
  /** Cognito `__type` to answer with, e.g. `TooManyRequestsException`. */
  error?: string;
  message?: string;
  /** HTTP status; 400 for an `error` unless given, 500 when only a status ≥ 500 is given. */
  status?: number;
  /** Real milliseconds to wait before answering (a slow or hanging service). */
  delayMs?: number;
  /** How many calls it applies to. Default 1. */
  times?: number;
}

/** What a call should do when a fault applies to it. */
export interface ResolvedFault {
  delayMs: number;
  error?: { type: string; message: string; status: number };
}

/** Holds the faults tests inject, per operation. */
export interface FaultInjector {
  inject(operation: string, fault: Fault): void;
  /** Takes one use of the oldest pending fault of the operation, if any. */
  take(operation: string): ResolvedFault | undefined;
  clear(): void;
}

const defaultMessages: Record<string, string> = {
  TooManyRequestsException: "Rate exceeded",
  InternalErrorException: "An internal error occurred.",
  LimitExceededException: "Attempt limit exceeded, please try after some time.",
};

/** Turns a fault as written by a test into what the handler will do. Throws TypeError on misuse. */
export function resolveFault(fault: Fault): ResolvedFault & { times: number } {
  if (typeof fault !== "object" || fault === null) throw new TypeError("injectFault needs a fault object");
  const times = fault.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new TypeError("fault.times must be a whole number of at least 1");
  const delayMs = fault.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new TypeError("fault.delayMs must be a non-negative number");
  if (fault.status !== undefined && (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599)) {
    throw new TypeError("fault.status must be an HTTP error status (400-599)");
  }
  if (fault.error === undefined && fault.status === undefined) {
    if (delayMs === 0) throw new TypeError("a fault needs an error, a status or a delayMs");
    return { delayMs, times };
  }
  const type = fault.error ?? (fault.status! >= 500 ? "InternalErrorException" : "InvalidParameterException");
  const status = fault.status ?? (type === "InternalErrorException" || type === "ServiceUnavailableException" ? 500 : 400);
  const message = fault.message ?? defaultMessages[type] ?? `Injected ${type}`;
  return { delayMs, times, error: { type, message, status } };
}

/**
 * Creates the per-operation fault queue behind `injectFault`.
 *
 * @example
 * const faults = createFaultInjector();
 * faults.inject("InitiateAuth", { error: "TooManyRequestsException", times: 2 });
 */
export function createFaultInjector(): FaultInjector {
  const pending = new Map<string, Array<ResolvedFault & { times: number }>>();
  return {
    inject(operation, fault) {
      if (typeof operation !== "string" || operation.length === 0) throw new TypeError("injectFault needs an operation name");
      const resolved = resolveFault(fault);
      pending.set(operation, [...(pending.get(operation) ?? []), resolved]);
    },
    take(operation) {
      const queue = pending.get(operation);
      const head = queue?.[0];
      if (!queue || !head) return undefined;
      head.times -= 1;
      if (head.times === 0) queue.shift();
      return { delayMs: head.delayMs, ...(head.error ? { error: head.error } : {}) };
    },
    clear() {
      pending.clear();
    },
  };
}
