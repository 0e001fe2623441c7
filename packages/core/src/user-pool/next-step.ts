/** Where Cognito sent a code. */
export interface CodeDelivery {
  /** Masked, e.g. `a***@e***.com`. */
  destination: string | undefined;
  medium: "EMAIL" | "SMS" | undefined;
  /** The attribute the code verifies, e.g. `email`. */
  attribute: string | undefined;
}

/** An MFA method Cognito can ask for or set up. */
export type MfaType = "SMS" | "TOTP" | "EMAIL";

/**
 * A way to sign in that choice-based sign-in (`signIn({ flow: "choice" })`, Cognito's
 * USER_AUTH) offers as the first factor: the password (sent over TLS, or proven by SRP), a
 * code sent by email or SMS, or a passkey.
 */
export type FirstFactor = "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/**
 * What to do after `signIn` or `confirmSignIn`, discriminated on `type`. Challenges are next
 * steps, not errors: answer each with `client.confirmSignIn({ challengeResponse })` —
 * the new password, the code sent (`smsMfa`, `emailMfa`) or shown by the authenticator app
 * (`totpMfa`), an MFA type from `allowedMfaTypes` (`selectMfaType`), the answer of a custom
 * challenge. `mfaSetup`: `setUpTotp(client)` then the app's code, or an email address to
 * set up email MFA. Choice-based sign-in (`flow: "choice"`) adds its first-factor steps:
 * `selectFirstFactor` (answer with one of `availableChallenges`), `emailOtp` / `smsOtp` (the
 * code) and `password`. A challenge Cognito added later ends in `ERR_UNEXPECTED_CHALLENGE`.
 *
 * @example
 * let { nextStep } = await client.signIn({ username, password });
 * if (nextStep.type === "smsMfa") ({ nextStep } = await client.confirmSignIn({ challengeResponse: await ask(nextStep.codeDelivery) }));
 */
export type SignInNextStep =
  | { type: "done" }
  /** The account exists but is unconfirmed: call `confirmSignUp` (or `resendSignUpCode` first). */
  | { type: "confirmSignUp" }
  /** Set a new password; `requiredAttributes` (e.g. `name`) go in `confirmSignIn`'s `userAttributes`. */
  | { type: "newPasswordRequired"; requiredAttributes: string[] }
  | { type: "smsMfa"; codeDelivery: CodeDelivery }
  | { type: "emailMfa"; codeDelivery: CodeDelivery }
  | { type: "totpMfa" }
  | { type: "selectMfaType"; allowedMfaTypes: MfaType[] }
  | { type: "mfaSetup"; allowedMfaTypes: MfaType[] }
  /** The public challenge parameters of the pool's custom-auth Lambda. */
  | { type: "customChallenge"; parameters: Record<string, string> }
  /**
   * Choice-based sign-in: pick the first factor, one of `availableChallenges` (the ways this
   * user and app client allow), as the `challengeResponse`. A passkey (`WEB_AUTHN`) is asked
   * of the browser at once.
   */
  | { type: "selectFirstFactor"; availableChallenges: FirstFactor[] }
  /** Choice-based sign-in: the code Cognito emailed, as the first factor (not MFA). */
  | { type: "emailOtp"; codeDelivery: CodeDelivery }
  /** Choice-based sign-in: the code Cognito texted, as the first factor (not MFA). */
  | { type: "smsOtp"; codeDelivery: CodeDelivery }
  /** Choice-based sign-in: the user's password is the `challengeResponse`. */
  | { type: "password" };

/** What to do after `signUp`. */
export type SignUpNextStep = { type: "confirmSignUp"; codeDelivery: CodeDelivery } | { type: "done" };

/** Maps Cognito's `CodeDeliveryDetails` to a {@link CodeDelivery}. */
export function toCodeDelivery(details: { Destination?: string; DeliveryMedium?: string; AttributeName?: string } | undefined): CodeDelivery {
  return {
    destination: details?.Destination,
    medium: details?.DeliveryMedium as CodeDelivery["medium"],
    attribute: details?.AttributeName,
  };
}
