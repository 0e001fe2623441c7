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
}

/**
 * Creates the outbox that replaces email and SMS delivery.
 *
 * @example
 * const outbox = createOutbox();
 * outbox.latest("ana@example.com")?.code;
 */
export function createOutbox(onSend?: (message: OutboxMessage) => void): WritableOutbox {
  const entries: Array<{ message: OutboxMessage; logins: Set<string> }> = [];
  const matches = (logins: Set<string>, login: string) => logins.has(login.toLowerCase());
  return {
    send(message, logins) {
      entries.push({ message, logins: new Set([message.username, ...logins].map((l) => l.toLowerCase())) });
      onSend?.(message);
    },
    latest(login) {
      for (let i = entries.length - 1; i >= 0; i--) {
        const entry = entries[i]!;
        if (matches(entry.logins, login)) return { ...entry.message };
      }
      return undefined;
    },
    all(login) {
      return entries.filter((e) => login === undefined || matches(e.logins, login)).map((e) => ({ ...e.message }));
    },
  };
}
