import { CognitoError } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";

/**
 * Puts a user in one of the pool's groups; it shows in `cognito:groups` from the next
 * token on. Throws CognitoError for an unknown user or group.
 */
export function addUserToGroup(state: EmulatorState, login: string, group: string): void {
  const user = state.users.byLogin(login);
  if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
  if (!state.pool.groups.has(group)) throw new CognitoError("ResourceNotFoundException", "Group not found.");
  user.groups.add(group);
}

/** `AdminAddUserToGroup` (no IAM check: the emulator has no IAM). */
export async function adminAddUserToGroup(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const poolId = v.string("UserPoolId", "userPoolId", { required: true, minLength: 1, maxLength: 55 });
  const username = v.string("Username", "username", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.username });
  const group = v.string("GroupName", "groupName", { required: true, minLength: 1, maxLength: 128 });
  v.throwIfInvalid();
  if (poolId !== state.pool.id) throw new CognitoError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
  addUserToGroup(state, username, group);
  return {};
}
