import type { AuthClient } from "../client.js";
import type { ClientContext } from "../client-context.js";
import { AuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";
import { checkObject, checkOptional, checkText } from "./check-input.js";
import { runChecked } from "./run-checked.js";

/** What an authenticator app needs, from {@link setUpTotp}. */
export interface TotpSetup {
  /** The base32 secret, for typing into the app by hand. */
  sharedSecret: string;
  /** The `otpauth://` URI to show as a QR code; `accountName` defaults to the username. */
  setupUri(appName: string, accountName?: string): string;
}

/** Input of {@link verifyTotpSetup}. */
export interface VerifyTotpSetupInput {
  /** The app's current 6-digit code. */
  code: string;
  /** A name for the authenticator, shown nowhere but the user's MFA settings. */
  deviceName?: string;
  signal?: AbortSignal;
}

// The user's access token, and the name their app should show.
async function signedIn(context: ClientContext<any>) {
  const { accessToken } = await context.session.getTokens();
  return { accessToken, username: String(readJwtClaims(accessToken)?.username) };
}

/**
 * Registers an authenticator app (TOTP) for the user and returns its secret. During sign-in,
 * when the step is `mfaSetup`, it uses that step (finish with
 * `client.confirmSignIn({ challengeResponse: code })`); otherwise it needs a signed-in user
 * (`ERR_NOT_SIGNED_IN`), who then calls {@link verifyTotpSetup} and {@link updateMfaPreference}.
 *
 * @example
 * const totp = await setUpTotp(client);
 * showQrCode(totp.setupUri("My App"));
 * await client.confirmSignIn({ challengeResponse: await askForCode() });
 */
export function setUpTotp(client: AuthClient<any>, options?: { signal?: AbortSignal }): Promise<TotpSetup> {
  return runChecked(client, "setUpTotp", (context) => {
    if (options !== undefined) {
      checkObject(options, "setUpTotp");
      checkOptional(options, "setUpTotp");
    }
    return associate(context, options?.signal);
  });
}

async function associate(context: ClientContext<any>, signal: AbortSignal | undefined): Promise<TotpSetup> {
  const pending = context.challenge;
  let username: string;
  let SecretCode: string | undefined;
  if (pending?.name === "MFA_SETUP") {
    username = pending.username;
    const output = await context.transport.userPool("AssociateSoftwareToken", { Session: pending.session }, { signal });
    // The next call of the step (VerifySoftwareToken) takes the session this answer carries.
    pending.session = output.Session;
    SecretCode = output.SecretCode;
  } else {
    const user = await signedIn(context);
    username = user.username;
    ({ SecretCode } = await context.transport.userPool("AssociateSoftwareToken", { AccessToken: user.accessToken }, { signal }));
  }
  if (!SecretCode) throw new AuthError("ERR_BAD_RESPONSE", "No secret in the answer");
  const secret = SecretCode;
  return {
    sharedSecret: secret,
    setupUri: (appName, accountName = username) => {
      const issuer = encodeURIComponent(checkText(appName, "appName", "setupUri"));
      return `otpauth://totp/${issuer}:${encodeURIComponent(accountName)}?secret=${secret}&issuer=${issuer}`;
    },
  };
}

/**
 * Confirms the app {@link setUpTotp} registered for the signed-in user with its current code
 * (`ERR_CODE_MISMATCH` when wrong). TOTP is then set up but not yet used at sign-in: turn it
 * on with `updateMfaPreference(client, { totp: "preferred" })`.
 *
 * @example
 * await verifyTotpSetup(client, { code: "123456" });
 */
export function verifyTotpSetup(client: AuthClient<any>, input: VerifyTotpSetupInput): Promise<void> {
  return runChecked(client, "verifyTotpSetup", (context) => {
    checkObject(input, "verifyTotpSetup");
    const UserCode = checkText(input.code, "code", "verifyTotpSetup");
    checkOptional(input, "verifyTotpSetup");
    const { deviceName, signal } = input;
    if (deviceName !== undefined && typeof deviceName !== "string") throw new TypeError("verifyTotpSetup: `deviceName` must be a string");
    return (async () => {
      const { accessToken } = await signedIn(context);
      const output = await context.transport.userPool("VerifySoftwareToken", { AccessToken: accessToken, UserCode, FriendlyDeviceName: deviceName }, { signal });
      if (output.Status !== "SUCCESS") throw new AuthError("ERR_CODE_MISMATCH", "The code does not match the authenticator app");
    })();
  });
}
