import { codeLifetimeMs } from "../user-pool/deliver-code.js";

/**
 * Why a code was sent (`signIn`: a passwordless EMAIL_OTP or SMS_OTP sign-in code).
 *
 * @example
 * emulator.outbox.all().filter((m) => m.kind === "signUp");
 */
export type OutboxKind = "signUp" | "mfa" | "signIn" | "forgotPassword" | "verifyAttribute";

/**
 * One message the emulator "sent" instead of an email or SMS.
 *
 * @example
 * const { code, destination } = emulator.outbox.latest("ana@example.com")!; // destination "a***@e***"
 */
export interface OutboxMessage {
  code: string;
  kind: OutboxKind;
  /** Masked like Cognito's CodeDeliveryDetails, e.g. `a***@e***`. */
  destination: string;
  deliveryMedium: "EMAIL" | "SMS";
  attributeName: string;
  /** The user's real username (a UUID in pools that sign in with email or phone). */
  username: string;
  /** Emulator time (ms since epoch) when it was sent. */
  at: number;
}

/**
 * Read side of the outbox.
 *
 * @example
 * await client.confirmSignUp({ username, code: emulator.outbox.latest(username)!.code });
 */
export interface Outbox {
  /** The newest message for a user, found by username, email or phone number (any case). */
  latest(login: string): OutboxMessage | undefined;
  /** Every message, oldest first; for one user when `login` is given. */
  all(login?: string): OutboxMessage[];
}

/** The outbox with its write side, used inside the emulator. */
export interface WritableOutbox extends Outbox {
  send(message: OutboxMessage, logins: readonly string[]): void;
  /** How many messages it keeps (tests check that old ones are dropped). */
  size(): number;
}

/** Emulator time between two sweeps of old messages. */
const sweepEveryMs = 60 * 1000;

interface Entry {
  message: OutboxMessage;
  logins: string[];
}

/**
 * Creates the outbox that replaces email and SMS delivery. A message is kept for twice its
 * code's validity (a test can still read a code it let expire), then dropped as new ones come
 * in, so a long-running emulator does not keep every code it ever sent.
 *
 * @example
 * const outbox = createOutbox();
 * outbox.latest("ana@example.com")?.code;
 */
export function createOutbox(onSend?: (message: OutboxMessage) => void): WritableOutbox {
  let entries: Entry[] = [];
  const byLogin = new Map<string, Entry[]>();
  let nextSweepAt = -Infinity;
  const index = (entry: Entry) => {
    for (const login of entry.logins) {
      const list = byLogin.get(login);
      if (list) list.push(entry);
      else byLogin.set(login, [entry]);
    }
  };
  const sweep = (now: number) => {
    if (now < nextSweepAt) return;
    nextSweepAt = now + sweepEveryMs;
    entries = entries.filter((e) => now < e.message.at + 2 * codeLifetimeMs[e.message.kind]);
    byLogin.clear();
    for (const entry of entries) index(entry);
  };
  return {
    send(message, logins) {
      sweep(message.at);
      const entry = { message, logins: [...new Set([message.username, ...logins].map((l) => l.toLowerCase()))] };
      entries.push(entry);
      index(entry);
      onSend?.(message);
    },
    latest(login) {
      const last = byLogin.get(login.toLowerCase())?.at(-1);
      return last && { ...last.message };
    },
    all(login) {
      return (login === undefined ? entries : (byLogin.get(login.toLowerCase()) ?? [])).map((e) => ({ ...e.message }));
    },
    size: () => entries.length,
  };
}
