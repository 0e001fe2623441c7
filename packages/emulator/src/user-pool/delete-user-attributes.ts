import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkWritableName, schemaError } from "./attribute-schema.js";
import { codeSlot } from "./deliver-code.js";
import { authenticateAccessToken } from "./get-user.js";
import type { UserRecord } from "./user-store.js";

/**
 * Removes attributes from a user as Cognito does when asked to (DeleteUserAttributes, or an
 * UpdateUserAttributes value left blank): names the schema lacks, managed, immutable and
 * required ones are refused before anything changes. Removing an email or phone number
 * removes its `_verified` flag, a value waiting for verification and its code.
 *
 * @example
 * removeAttributes(state, user, ["given_name"]);
 */
export function removeAttributes(state: EmulatorState, user: UserRecord, names: readonly string[]): void {
  for (const name of names) {
    checkWritableName(state.pool, name);
    const declared = state.pool.attributes[name];
    if (declared?.mutable === false) throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    if (declared?.required) throw schemaError(`${name}: The attribute ${name} is required`);
  }
  for (const name of names) {
    user.attributes.delete(name);
    if (name === "email" || name === "phone_number") {
      user.attributes.delete(`${name}_verified`);
      user.pendingAttributes?.delete(name);
      user.codes.delete(codeSlot("verifyAttribute", name));
    }
  }
  user.updatedAt = state.clock.now();
}

/** `DeleteUserAttributes`: the signed-in user removes optional attributes. */
export async function deleteUserAttributes(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const names = input.UserAttributeNames;
  if (names === undefined || names === null) v.problem("Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null");
  else if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
    throw new CognitoError("SerializationException", "Unexpected value type for 'userAttributeNames': expected a list of strings");
  }
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  removeAttributes(state, user, names as string[]);
  return {};
}
