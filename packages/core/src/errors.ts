/**
 * Every failure cogkit reports to a caller is an {@link AuthError} with one of these codes.
 * Caller misuse (a wrong argument type) is a `TypeError` instead, thrown at once.
 */
export type AuthErrorCode =
  // configuration and input
  | "ERR_INVALID_CONFIG"
  | "ERR_INVALID_PARAMETER"
  | "ERR_INVALID_PASSWORD"
  // identity
  | "ERR_USERNAME_EXISTS"
  | "ERR_ALIAS_EXISTS"
  | "ERR_USER_NOT_FOUND"
  | "ERR_USER_NOT_CONFIRMED"
  | "ERR_NOT_AUTHORIZED"
  | "ERR_PASSWORD_RESET_REQUIRED"
  // codes
  | "ERR_CODE_MISMATCH"
  | "ERR_CODE_EXPIRED"
  | "ERR_CODE_DELIVERY_FAILED"
  | "ERR_TOO_MANY_ATTEMPTS"
  | "ERR_LIMIT_EXCEEDED"
  // session and tokens
  | "ERR_NOT_SIGNED_IN"
  | "ERR_SIGN_IN_IN_PROGRESS"
  /** `confirmSignIn` without a step to answer: no `signIn` asked for one, or it is done. */
  | "ERR_NO_PENDING_SIGN_IN"
  | "ERR_TOKEN_REVOKED"
  | "ERR_REFRESH_TOKEN_REUSED"
  | "ERR_TOKEN_INVALID"
  | "ERR_TOKEN_EXPIRED"
  // hosted UI (managed login)
  /** A hosted-UI callback whose `state` is unknown here, expired or already used: sign in again. */
  | "ERR_INVALID_STATE"
  /** The user closed the sign-in popup before signing in. */
  | "ERR_CANCELED"
  /** The browser refused to open the sign-in popup: call `signInWithPopup` from a click. */
  | "ERR_POPUP_BLOCKED"
  // passkeys (WebAuthn)
  /** The browser (or runtime) has no WebAuthn, or no authenticator that can do what was asked. */
  | "ERR_PASSKEY_UNSUPPORTED"
  /** The user dismissed the browser's passkey prompt (or it offered no passkey for this account). */
  | "ERR_PASSKEY_CANCELED"
  /** The passkey prompt was left unanswered until its timeout. */
  | "ERR_PASSKEY_TIMEOUT"
  /** The browser refused the request for this page: its origin does not match the relying party, or the page is not a secure context. */
  | "ERR_PASSKEY_NOT_ALLOWED"
  /** The authenticator already holds a passkey of this user for this site. */
  | "ERR_PASSKEY_EXISTS"
  /** Registering a passkey needs a sign-in more recent than `maxAuthAgeSeconds`: sign in again. */
  | "ERR_RECENT_SIGN_IN_REQUIRED"
  // identity pool
  | "ERR_GUEST_ACCESS_DISABLED"
  | "ERR_IDENTITY_NOT_FOUND"
  | "ERR_NO_IDENTITY_POOL"
  // service and transport
  | "ERR_UNSUPPORTED_OPERATION"
  | "ERR_RESOURCE_NOT_FOUND"
  | "ERR_THROTTLED"
  | "ERR_SERVICE"
  | "ERR_NETWORK"
  | "ERR_TIMEOUT"
  | "ERR_ABORTED"
  | "ERR_BAD_RESPONSE"
  | "ERR_UNEXPECTED_CHALLENGE"
  | "ERR_TRIGGER_FAILED"
  | "ERR_UNKNOWN";

const brand = Symbol.for("cogkit.AuthError");

/** Options for {@link AuthError}; `serviceCode` keeps Cognito's own `__type`. */
export interface AuthErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  serviceCode?: string;
  status?: number;
}

/**
 * The one error type cogkit throws for anything but caller misuse.
 *
 * @example
 * try { await client.signIn({ username, password }) }
 * catch (e) { if (isAuthError(e) && e.code === "ERR_NOT_AUTHORIZED") showWrongPassword() }
 */
export class AuthError extends Error {
  // `declare`d: the constructor sets them, so no field definitions need to ship.
  declare readonly code: AuthErrorCode;
  /** True when the same call may succeed later (network, throttling, 5xx). */
  declare readonly retryable: boolean;
  /** The service's `__type`, e.g. `NotAuthorizedException`, when the service answered. */
  declare readonly serviceCode: string | undefined;
  /** The HTTP status of the answer, when there was one. */
  declare readonly status: number | undefined;

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    // Error reads nothing but `cause` from its options; passing none when it is undefined
    // leaves the error without an own `cause` property.
    super(message, options.cause === undefined ? undefined : options);
    this.name = "AuthError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.serviceCode = options.serviceCode;
    this.status = options.status;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * True for an {@link AuthError}, also one made by another copy of `@cogkit/core`
 * (it checks a brand, not `instanceof`).
 *
 * @example
 * if (isAuthError(error, "ERR_USER_NOT_CONFIRMED")) goToConfirmation()
 */
export function isAuthError(value: unknown, code?: AuthErrorCode): value is AuthError {
  return (value as Record<symbol, unknown> | null | undefined)?.[brand] === true && (code === undefined || (value as AuthError).code === code);
}

// loadPart lives here, not in a module of its own: every part loaded on demand imports this
// module, so bundlers keep it in the one chunk the page shares with all its parts. In a module
// of its own, imported by some parts only, it became a chunk of its own (~40 B gzip more).

/**
 * Loads a part of the client that the first bundle leaves out (sign-up, the challenge steps
 * of sign-in): bundlers split each `import()` into a chunk fetched on first use, so a page
 * that only signs in never downloads them. A chunk that cannot be fetched (offline, or
 * removed by a deploy) is a retryable `ERR_NETWORK`, like any request that did not get through.
 *
 * @example
 * const { signUp } = await loadPart(() => import("./user-pool/sign-up.js"));
 */
export function loadPart<T>(load: () => Promise<T>): Promise<T> {
  return load().catch((cause: unknown) => {
    throw new AuthError("ERR_NETWORK", "Could not load a part of @cogkit/core", { retryable: true, cause });
  });
}
