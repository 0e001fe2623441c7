import type { EmulatorState } from "../emulator-state.js";
import { CognitoError } from "../protocol/cognito-error.js";
import { checkUserAttributes } from "../user-pool/attribute-schema.js";
import { missingRequiredAttributes } from "../user-pool/complete-sign-in.js";
import { checkPasswordPolicy } from "../user-pool/password-policy.js";
import type { UserRecord } from "../user-pool/user-store.js";
import { setNewPassword } from "../user-pool/set-new-password.js";

/** The wire names (`given_name`) of the required attributes a user lacks, which the step asks for. */
function attributesToAsk(state: EmulatorState, user: UserRecord): string[] {
  return missingRequiredAttributes(state, user).map((name) => name.slice("userAttributes.".length));
}

/**
 * Answers the login page's NEW_PASSWORD_REQUIRED step as RespondToAuthChallenge does with
 * `NEW_PASSWORD` and `userAttributes.*`: the password must meet the policy and every
 * required attribute the user lacks must be given (a blank one counts as not given) and
 * valid. Returns the message to show with the step again, or undefined once the password
 * and attributes are stored (`finish` spends the step's session first).
 */
export function answerNewPassword(state: EmulatorState, user: UserRecord, finish: () => void, form: URLSearchParams): string | undefined {
  const proposed = form.get("newPassword") ?? "";
  const given: Array<{ Name: string; Value: string }> = [];
  for (const name of attributesToAsk(state, user)) {
    const value = (form.get(name) ?? "").trim();
    if (value === "") return `Invalid attributes given, ${name} is missing.`;
    given.push({ Name: name, Value: value });
  }
  let attributes: Map<string, string>;
  try {
    checkPasswordPolicy(state.pool.passwordPolicy, proposed);
    attributes = checkUserAttributes(state.pool, given, { existing: user.attributes });
  } catch (error) {
    if (error instanceof CognitoError) return error.message;
    throw error;
  }
  finish();
  setNewPassword(state, user, proposed, attributes);
  return undefined;
}
