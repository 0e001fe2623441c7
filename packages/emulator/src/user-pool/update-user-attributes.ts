import { CognitoError } from "../protocol/cognito-error.js";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkUserAttributes } from "./attribute-schema.js";
import { deliverCode, type CodeDeliveryDetails } from "./deliver-code.js";
import { removeAttributes } from "./delete-user-attributes.js";
import { authenticateAccessToken } from "./get-user.js";
import type { UserRecord } from "./user-store.js";

const contactAttributes = ["email", "phone_number"] as const;
type ContactAttribute = (typeof contactAttributes)[number];
const isContact = (name: string): name is ContactAttribute => (contactAttributes as readonly string[]).includes(name);

/**
 * Refuses a value another user signs in with: in pools that sign in with email or phone,
 * that value is their login (Cognito's AliasExistsException).
 */
export function checkLoginFree(state: EmulatorState, user: UserRecord, name: string, value: string): void {
  if (!isContact(name) || !(state.pool.usernameAttributes.includes(name) || state.pool.aliasAttributes.includes(name))) return;
  const holders = state.users.withAttribute(name, value).filter((other) => other !== user);
  const taken = state.pool.usernameAttributes.includes(name) ? holders : holders.filter((o) => o.attributes.get(`${name}_verified`) === "true");
  if (taken.length > 0) {
    throw new CognitoError("AliasExistsException", `An account with the given ${name === "email" ? "email" : "phone number"} already exists.`);
  }
}

/**
 * `UpdateUserAttributes`: the signed-in user changes their attributes. A new email or phone
 * number gets a verification code; while the pool keeps original values active (the
 * emulator's default) a verified original stays the one that signs in and shows in tokens
 * until VerifyUserAttribute confirms the new one. A blank value deletes the attribute.
 */
export async function updateUserAttributes(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const list = v.attributeList("UserAttributes", "userAttributes");
  if (list === undefined) v.problem("Value null at 'userAttributes' failed to satisfy constraint: Member must not be null");
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  const given = list!.filter((a) => a.Value !== "");
  const blank = list!.filter((a) => a.Value === "").map((a) => a.Name);
  const values = checkUserAttributes(state.pool, given, { existing: user.attributes, updating: true });
  for (const [name, value] of values) checkLoginFree(state, user, name, value);
  if (blank.length > 0) removeAttributes(state, user, blank);

  const deliveries: CodeDeliveryDetails[] = [];
  for (const [name, value] of values) {
    if (!isContact(name)) {
      user.attributes.set(name, value);
      continue;
    }
    const current = user.attributes.get(name);
    if (current !== undefined && current.toLowerCase() === value.toLowerCase() && name === "email") continue;
    if (current === value) continue;
    const keepOriginal = state.pool.verifyBeforeUpdate.has(name) && current !== undefined && user.attributes.get(`${name}_verified`) === "true";
    if (keepOriginal) {
      (user.pendingAttributes ??= new Map()).set(name, value);
    } else {
      user.pendingAttributes?.delete(name);
      user.attributes.set(name, value);
      user.attributes.set(`${name}_verified`, "false");
    }
    deliveries.push(deliverCode(state, user, "verifyAttribute", name, value));
  }
  user.updatedAt = state.clock.now();
  return { CodeDeliveryDetailsList: deliveries };
}
