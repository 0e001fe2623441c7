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
 * What to do after `signIn`, discriminated on `type`. Challenges are next steps, not errors.
 * (This release completes `done` and `confirmSignUp`; a challenge ends in
 * `ERR_UNEXPECTED_CHALLENGE` until its handler lands.)
 */
export type SignInNextStep =
  | { type: "done" }
  /** The account exists but is unconfirmed: call `confirmSignUp` (or `resendSignUpCode` first). */
  | { type: "confirmSignUp" }
  | { type: "newPasswordRequired"; requiredAttributes: string[] }
  | { type: "smsMfa"; codeDelivery: CodeDelivery }
  | { type: "emailMfa"; codeDelivery: CodeDelivery }
  | { type: "totpMfa" }
  | { type: "selectMfaType"; allowed: MfaType[] }
  | { type: "mfaSetup"; allowed: MfaType[] }
  | { type: "customChallenge"; parameters: Record<string, string> };

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
