import type { AuthClient } from "../client.js";
import { AuthError } from "../errors.js";
import { checkObject, checkOptional, checkText } from "./check-input.js";
import { type CodeDelivery, toCodeDelivery } from "./next-step.js";
import { refreshAfterChange } from "./refresh-after-change.js";
import { runChecked } from "./run-checked.js";

/** An attribute Cognito verifies with a code. */
export type VerifiableAttribute = "email" | "phone_number";

/** Input of {@link sendUserAttributeVerificationCode}. */
export interface SendUserAttributeVerificationCodeInput {
  attribute: VerifiableAttribute;
  /** Passed to the pool's Lambda triggers. */
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/** Input of {@link confirmUserAttribute}. */
export interface ConfirmUserAttributeInput {
  attribute: VerifiableAttribute;
  code: string;
  signal?: AbortSignal;
}

function checkAttribute(input: { attribute?: unknown }, operation: string): VerifiableAttribute {
  const { attribute } = input;
  if (typeof attribute !== "string") throw new TypeError(`${operation}: \`attribute\` must be a string`);
  if (attribute !== "email" && attribute !== "phone_number") {
    throw new AuthError("ERR_INVALID_PARAMETER", `${operation}: only "email" and "phone_number" are verified with a code`);
  }
  return attribute;
}

/**
 * Sends a new code to verify the signed-in user's email or phone number
 * (GetUserAttributeVerificationCode): to the new value while a change waits for its code
 * (see {@link updateUserAttributes}), else to the current one. Fails with
 * `ERR_NOT_SIGNED_IN` when nobody is signed in, `ERR_LIMIT_EXCEEDED` after too many codes.
 *
 * @example
 * const { codeDelivery } = await sendUserAttributeVerificationCode(client, { attribute: "email" });
 * show(`A code went to ${codeDelivery.destination}`);
 */
export function sendUserAttributeVerificationCode(
  client: AuthClient<any>,
  input: SendUserAttributeVerificationCodeInput,
): Promise<{ codeDelivery: CodeDelivery }> {
  return runChecked(client, "sendUserAttributeVerificationCode", (context) => {
    checkObject(input, "sendUserAttributeVerificationCode");
    checkOptional(input, "sendUserAttributeVerificationCode");
    const AttributeName = checkAttribute(input, "sendUserAttributeVerificationCode");
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      const output = await context.transport.userPool(
        "GetUserAttributeVerificationCode",
        { AccessToken: accessToken, AttributeName, ClientMetadata: input.clientMetadata },
        { signal: input.signal },
      );
      return { codeDelivery: toCodeDelivery(output.CodeDeliveryDetails) };
    })();
  });
}

/**
 * Verifies the signed-in user's email or phone number with the code Cognito sent
 * (VerifyUserAttribute): `email_verified` becomes true, and a new value waiting for this
 * code replaces the old one. Then the tokens are refreshed so `getSnapshot().user` shows
 * it at once; if that refresh fails, the verification still stands and the call succeeds
 * (the session retries the refresh by itself). Fails with `ERR_CODE_MISMATCH` (try
 * again), `ERR_CODE_EXPIRED` (send a new one), `ERR_ALIAS_EXISTS` when another user took
 * the value meanwhile.
 *
 * @example
 * await confirmUserAttribute(client, { attribute: "email", code });
 * client.getSnapshot().user?.attributes.email_verified; // true
 */
export function confirmUserAttribute(client: AuthClient<any>, input: ConfirmUserAttributeInput): Promise<void> {
  return runChecked(client, "confirmUserAttribute", (context) => {
    checkObject(input, "confirmUserAttribute");
    checkOptional(input, "confirmUserAttribute");
    const AttributeName = checkAttribute(input, "confirmUserAttribute");
    const Code = checkText(input.code, "code", "confirmUserAttribute");
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      await context.transport.userPool("VerifyUserAttribute", { AccessToken: accessToken, AttributeName, Code }, { signal: input.signal });
      await refreshAfterChange(context);
    })();
  });
}
