import type { AuthClient } from "../client.js";
import { AuthError, loadPart } from "../errors.js";
import { readJwtClaims } from "../jwt.js";
import { checkObject, checkOptional } from "../user-pool/check-input.js";
import { runChecked } from "../user-pool/run-checked.js";

/** Options of {@link registerPasskey}. */
export interface RegisterPasskeyOptions {
  /**
   * How long ago (seconds) the user may have signed in for a passkey to be added: a stolen
   * session that is older cannot add one. Read from the id token's `auth_time`, which
   * refreshing keeps. Default 600 (10 minutes).
   */
  maxAuthAgeSeconds?: number;
  /** Aborts the requests and the browser's passkey prompt (`ERR_ABORTED`). */
  signal?: AbortSignal;
}

/**
 * Adds a passkey for the signed-in user: Cognito's options (StartWebAuthnRegistration) go to
 * the browser's `navigator.credentials.create` (or the platform's `webAuthn`), and the new
 * credential back to Cognito (CompleteWebAuthnRegistration). Returns the passkey's id.
 *
 * Needs a recent sign-in (`maxAuthAgeSeconds`), else `ERR_RECENT_SIGN_IN_REQUIRED`: sign in
 * again, then register. The browser's answers have their own codes: `ERR_PASSKEY_CANCELED`
 * (prompt dismissed), `ERR_PASSKEY_EXISTS` (this authenticator already holds one),
 * `ERR_PASSKEY_TIMEOUT`, `ERR_PASSKEY_NOT_ALLOWED` (origin or relying party),
 * `ERR_PASSKEY_UNSUPPORTED`. `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * try {
 *   await registerPasskey(client);
 * } catch (error) {
 *   if (isAuthError(error, "ERR_RECENT_SIGN_IN_REQUIRED")) askToSignInAgain();
 *   else if (!isAuthError(error, "ERR_PASSKEY_CANCELED")) throw error;
 * }
 */
export function registerPasskey(client: AuthClient<any>, options: RegisterPasskeyOptions = {}): Promise<{ credentialId: string }> {
  return runChecked(client, "registerPasskey", (context) => {
    checkObject(options, "registerPasskey");
    checkOptional(options, "registerPasskey");
    const { maxAuthAgeSeconds = 600, signal } = options;
    if (typeof maxAuthAgeSeconds != "number" || !(maxAuthAgeSeconds >= 0)) throw new TypeError("registerPasskey: `maxAuthAgeSeconds` must be a number of seconds");
    return (async () => {
      const tokens = await context.session.getTokens();
      const authTime = readJwtClaims(tokens.idToken)?.auth_time;
      // The server's clock: the local one less the drift measured when the tokens came.
      const age = (context.platform.clock.now() - tokens.clockDrift) / 1000 - Number(authTime);
      if (!(age <= maxAuthAgeSeconds)) {
        throw new AuthError("ERR_RECENT_SIGN_IN_REQUIRED", `Adding a passkey needs a sign-in within the last ${maxAuthAgeSeconds} s: sign in again`);
      }
      // The ceremony's code is the part of choice-based sign-in, loaded on first use.
      const { askAuthenticator, passkeyCall } = await loadPart(() => import("../user-pool/sign-in-flows.js"));
      const AccessToken = tokens.accessToken;
      const started = await passkeyCall(context.transport.userPool("StartWebAuthnRegistration", { AccessToken }, { signal }));
      const Credential = await askAuthenticator(context, "create", started.CredentialCreationOptions, signal);
      await passkeyCall(context.transport.userPool("CompleteWebAuthnRegistration", { AccessToken, Credential }, { signal }));
      return { credentialId: Credential.id as string };
    })();
  });
}
