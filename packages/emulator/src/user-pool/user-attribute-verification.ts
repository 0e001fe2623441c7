import { invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkPendingCode } from "./confirm-sign-up.js";
import { codeSlot, deliverCode } from "./deliver-code.js";
import { authenticateAccessToken } from "./get-user.js";
import { checkLoginFree } from "./update-user-attributes.js";
import type { UserRecord } from "./user-store.js";

function readAttributeName(v: ReturnType<typeof createInputValidator>): string {
  return v.string("AttributeName", "attributeName", { required: true, minLength: 1, maxLength: 32, pattern: patterns.username });
}

/** The value a verification code goes to: the one waiting for verification, else the current one. */
const valueToVerify = (user: UserRecord, name: "email" | "phone_number") => user.pendingAttributes?.get(name) ?? user.attributes.get(name);

/** `GetUserAttributeVerificationCode`: a new code for the user's email or phone number. */
export async function getUserAttributeVerificationCode(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const name = readAttributeName(v);
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  if (name !== "email" && name !== "phone_number") throw invalidParameter(`Invalid attribute name: ${name} cannot be verified`);
  const value = valueToVerify(user, name);
  if (value === undefined) throw invalidParameter(`User does not have a value for the attribute: ${name}`);
  return { CodeDeliveryDetails: deliverCode(state, user, "verifyAttribute", name, value) };
}

/**
 * `VerifyUserAttribute`: the code sent to an email or phone number marks it verified; a
 * value waiting for verification replaces the original then. A code works once.
 */
export async function verifyUserAttribute(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const name = readAttributeName(v);
  const code = v.string("Code", "code", { required: true, minLength: 1, maxLength: 2048, pattern: patterns.code });
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  if (name !== "email" && name !== "phone_number") throw invalidParameter(`Invalid attribute name: ${name} cannot be verified`);
  checkPendingCode(state, user, codeSlot("verifyAttribute", name), code);
  const pending = user.pendingAttributes?.get(name);
  if (pending !== undefined) {
    checkLoginFree(state, user, name, pending);
    user.attributes.set(name, pending);
    user.pendingAttributes!.delete(name);
  }
  user.codes.delete(codeSlot("verifyAttribute", name));
  user.attributes.set(`${name}_verified`, "true");
  user.updatedAt = state.clock.now();
  return {};
}
