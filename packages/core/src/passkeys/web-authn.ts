import type { ClientContext } from "../client-context.js";
import { fromBase64, toBase64 } from "../encoding.js";
import { AuthError, type AuthErrorCode } from "../errors.js";
import type { WebAuthnLike } from "../platform/types.js";

// The browser glue of passkeys, in the part of choice-based sign-in (registerPasskey loads
// that part too): a page that never uses a passkey never downloads it. Cognito speaks WebAuthn's JSON forms (binary fields as
// base64url text); `navigator.credentials` takes and gives ArrayBuffers. Converted by hand,
// not with `PublicKeyCredential.parseRequestOptionsFromJSON` / `toJSON()`: those are recent,
// and a software authenticator (tests, native bridges) need not have them.

/** A JSON object as Cognito sends or expects it. */
export type WebAuthnJson = Record<string, any>;

/** The authenticator of `context`: the platform's, else `navigator.credentials` (read now, never at import). */
function container(context: ClientContext<any>): WebAuthnLike {
  const found = context.platform.webAuthn ?? (globalThis as any).navigator?.credentials;
  if (typeof found?.get != "function") throw new AuthError("ERR_PASSKEY_UNSUPPORTED", "Passkeys are not supported here (no WebAuthn in this browser or runtime)");
  return found;
}

/** base64url text → bytes; text that is not base64url is Cognito's fault. */
function bytes(text: unknown): ArrayBuffer {
  try {
    return fromBase64(text as string).buffer as ArrayBuffer;
  } catch {
    throw new AuthError("ERR_BAD_RESPONSE", "Bad WebAuthn options: a binary field is not base64url");
  }
}

/** Bytes (an ArrayBuffer or a view of one) → unpadded base64url. */
export function base64url(value: ArrayBuffer | ArrayBufferView): string {
  const view = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value);
  return toBase64(view).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/**
 * The `publicKey` options for `navigator.credentials` from Cognito's JSON (request options
 * for `get`, creation options for `create`): the challenge, the user id and the credential
 * ids become ArrayBuffers; everything else passes as it is.
 */
export function publicKeyFromJson(json: unknown): WebAuthnJson {
  if (typeof (json as WebAuthnJson)?.challenge != "string") throw new AuthError("ERR_BAD_RESPONSE", "Bad WebAuthn options from Cognito");
  const given = json as WebAuthnJson;
  const ids = (list: unknown) => (Array.isArray(list) ? list.map((item) => ({ ...item, id: bytes(item?.id) })) : list);
  const options: WebAuthnJson = { ...given, challenge: bytes(given.challenge) };
  if (given.user) options.user = { ...given.user, id: bytes(given.user.id) };
  if (given.allowCredentials) options.allowCredentials = ids(given.allowCredentials);
  if (given.excludeCredentials) options.excludeCredentials = ids(given.excludeCredentials);
  return options;
}

/**
 * A `PublicKeyCredential` in WebAuthn's JSON form, as Cognito takes it (`CREDENTIAL` of the
 * WEB_AUTHN challenge, `Credential` of CompleteWebAuthnRegistration).
 */
export function credentialToJson(credential: any): WebAuthnJson {
  const given = credential.response;
  const response: WebAuthnJson = {};
  for (const key of ["clientDataJSON", "authenticatorData", "signature", "userHandle", "attestationObject"]) {
    if (given[key]) response[key] = base64url(given[key]);
  }
  // Registration: which ways the authenticator can be reached (usb, internal, hybrid...).
  if (typeof given.getTransports == "function") response.transports = given.getTransports();
  return {
    id: credential.id,
    rawId: base64url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    ...(credential.authenticatorAttachment && { authenticatorAttachment: credential.authenticatorAttachment }),
  };
}

// DOMException names → codes. NotAllowedError is what browsers say both when the user
// dismisses the prompt and when it times out; a timeout is told apart by the clock.
const codes: Record<string, AuthErrorCode> = {
  NotAllowedError: "ERR_PASSKEY_CANCELED",
  SecurityError: "ERR_PASSKEY_NOT_ALLOWED",
  NotSupportedError: "ERR_PASSKEY_UNSUPPORTED",
  ConstraintError: "ERR_PASSKEY_UNSUPPORTED",
  InvalidStateError: "ERR_PASSKEY_EXISTS",
};

const messages: Partial<Record<AuthErrorCode, string>> = {
  ERR_PASSKEY_CANCELED: "The passkey prompt was dismissed, or no passkey of this account is on this device",
  ERR_PASSKEY_NOT_ALLOWED: "The browser does not allow passkeys for this site here (origin or relying party mismatch, or not a secure context)",
  ERR_PASSKEY_UNSUPPORTED: "No authenticator here can do what the passkey needs",
  ERR_PASSKEY_EXISTS: "This authenticator already holds a passkey of this user",
  ERR_PASSKEY_TIMEOUT: "The passkey prompt timed out",
};

/**
 * The `AuthError` for what `navigator.credentials` rejected with: `timedOut` says the
 * prompt's time was up, `aborted` that the caller's signal ended it.
 */
export function passkeyError(error: unknown, { timedOut = false, aborted = false } = {}): AuthError {
  if (aborted) return new AuthError("ERR_ABORTED", "Aborted", { cause: error });
  const name = (error as { name?: unknown } | null)?.name;
  const code: AuthErrorCode =
    timedOut && (name == "NotAllowedError" || name == "AbortError")
      ? "ERR_PASSKEY_TIMEOUT"
      : (codes[name as string] ?? (name == "TypeError" ? "ERR_BAD_RESPONSE" : "ERR_UNKNOWN"));
  return new AuthError(code, messages[code] ?? `The authenticator failed (${String(name)})`, { cause: error });
}

// Cognito's WebAuthn refusals, which the transports leave as ERR_UNKNOWN (their table ships in
// every bundle): the relying party or origin is wrong for the pool, or the pool (or the
// authenticator's answer) cannot do passkeys as asked.
const serviceCodes: Record<string, AuthErrorCode> = {
  WebAuthnOriginNotAllowedException: "ERR_PASSKEY_NOT_ALLOWED",
  WebAuthnRelyingPartyMismatchException: "ERR_PASSKEY_NOT_ALLOWED",
  WebAuthnNotEnabledException: "ERR_PASSKEY_UNSUPPORTED",
  WebAuthnConfigurationMissingException: "ERR_PASSKEY_UNSUPPORTED",
  WebAuthnCredentialNotSupportedException: "ERR_PASSKEY_UNSUPPORTED",
};

/**
 * Runs a Cognito call of a passkey ceremony: its WebAuthn refusals get passkey codes, the
 * service's message and `serviceCode` kept.
 */
export async function passkeyCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const code = serviceCodes[(error as AuthError).serviceCode!];
    if (!code) throw error;
    const { message, serviceCode, status } = error as AuthError;
    throw new AuthError(code, message, { serviceCode, status, cause: error });
  }
}

/**
 * Asks the authenticator to `create` a passkey or `get` a signature with it, from Cognito's
 * JSON options, and returns the credential in JSON. The prompt ends at the options'
 * `timeout` (on the platform's clock: `ERR_PASSKEY_TIMEOUT`) or when `signal` aborts
 * (`ERR_ABORTED`); the browser's refusals each have their own code (see {@link passkeyError}).
 */
export async function askAuthenticator(context: ClientContext<any>, kind: "create" | "get", json: unknown, signal?: AbortSignal): Promise<WebAuthnJson> {
  if (signal?.aborted) throw passkeyError(signal.reason, { aborted: true });
  const publicKey = publicKeyFromJson(json);
  const authenticator = container(context);
  const { clock } = context.platform;
  const controller = new AbortController();
  const abort = () => controller.abort(signal!.reason);
  signal?.addEventListener("abort", abort);
  const timeout = typeof publicKey.timeout == "number" && publicKey.timeout > 0 ? publicKey.timeout : 0;
  const started = clock.now();
  let timedOut = false;
  // Awaited by the caller: the wait keeps a Node process alive until it ends.
  const timer = timeout && clock.setTimeout(() => ((timedOut = true), controller.abort()), timeout, { keepAlive: true });
  try {
    const credential = await authenticator[kind]({ publicKey, signal: controller.signal });
    if (!(credential as WebAuthnJson | null)?.response) throw Object.assign(new Error("No credential"), { name: "NotAllowedError" });
    return credentialToJson(credential);
  } catch (error) {
    throw passkeyError(error, { timedOut: timedOut || (timeout > 0 && clock.now() - started >= timeout), aborted: !!signal?.aborted });
  } finally {
    signal?.removeEventListener("abort", abort);
    if (timer) clock.clearTimeout(timer);
  }
}
