import { type AuthErrorCode, isAuthError } from "@cogkit/core";
import type { ButtonHTMLAttributes, ReactNode } from "react";

// What a user reads when a call fails: plain words for the codes this app can meet, the code
// itself beside them (small) for whoever reports the problem.
const plainWords: Partial<Record<AuthErrorCode, string>> = {
  ERR_CODE_MISMATCH: "That code is wrong. Check the latest email and try again.",
  ERR_CODE_EXPIRED: "That code has expired. Ask for a new one and try again.",
  ERR_CODE_DELIVERY_FAILED: "The code could not be sent. Check the address and try again.",
  ERR_NOT_AUTHORIZED: "The email or password is wrong.",
  ERR_USER_NOT_FOUND: "No account uses that email.",
  ERR_USERNAME_EXISTS: "An account with that email already exists. Sign in instead.",
  ERR_ALIAS_EXISTS: "Another account already uses that email.",
  ERR_INVALID_PASSWORD: "That password does not meet the rules shown.",
  ERR_PASSWORD_RESET_REQUIRED: "This account needs a new password before it can sign in.",
  ERR_TOO_MANY_ATTEMPTS: "Too many tries. Wait a little, then try again.",
  ERR_LIMIT_EXCEEDED: "Too many tries. Wait a little, then try again.",
  ERR_THROTTLED: "The service is busy. Try again in a moment.",
  ERR_NETWORK: "The sign-in service cannot be reached. Check your connection and try again.",
  ERR_TIMEOUT: "The sign-in service took too long to answer. Try again.",
  ERR_INVALID_STATE: "That sign-in link has expired or was already used. Sign in again.",
  ERR_PASSKEY_CANCELED: "The passkey prompt was closed, or this device has no passkey for this account.",
  ERR_PASSKEY_TIMEOUT: "The passkey prompt timed out. Try again.",
  ERR_PASSKEY_NOT_ALLOWED: "This page may not use passkeys here: open it on https or localhost.",
  ERR_PASSKEY_UNSUPPORTED: "This browser cannot use passkeys.",
  ERR_PASSKEY_EXISTS: "This device already holds a passkey for this account.",
  ERR_RECENT_SIGN_IN_REQUIRED: "For this, sign in again first.",
  ERR_GUEST_ACCESS_DISABLED: "Guests get no AWS credentials here: sign in.",
};

/** An error as plain words, with its code when it is an `AuthError`. */
export function describeError(error: unknown): { text: string; code?: AuthErrorCode; detail?: string } {
  if (!isAuthError(error)) return { text: error instanceof Error ? error.message : String(error) };
  return { text: plainWords[error.code] ?? error.message, code: error.code, detail: error.message };
}

/** A failure in plain words, its code in a small detail (the service's message on hover). Nothing when there is none. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (error === undefined) return null;
  const { text, code, detail } = describeError(error);
  return (
    <p role="alert" className="notice notice-error">
      {text}
      {code && (
        <>
          {" "}
          <small className="error-code" title={detail}>
            {code}
          </small>
        </>
      )}
    </p>
  );
}

/** A button that is disabled and says `busyLabel` while its action runs. */
export function BusyButton({ busy, busyLabel, children, ...rest }: { busy: boolean; busyLabel: string; children: ReactNode } & ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button {...rest} disabled={busy || rest.disabled} aria-busy={busy || undefined}>
      {busy ? busyLabel : children}
    </button>
  );
}

/** A form's end: its error, then its submit button (busy while the call runs) and any other buttons. */
export function FormEnd({ error, busy, busyLabel, label, kind = "primary", children }: { error: unknown; busy: boolean; busyLabel: string; label: string; kind?: "primary" | "danger"; children?: ReactNode }) {
  return (
    <>
      <ErrorNotice error={error} />
      <div className="actions">
        <BusyButton className={kind} busy={busy} busyLabel={busyLabel}>
          {label}
        </BusyButton>
        {children}
      </div>
    </>
  );
}
