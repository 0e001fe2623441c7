import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken } from "./get-user.js";

/**
 * `DeleteUser`: the signed-in user deletes themselves. Every token they hold is revoked
 * (a later user with the same username must not inherit them) and their logins are free.
 */
export async function deleteUser(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  state.refreshTokens.revokeUser(user.username);
  state.devices.forgetUser(user.username);
  state.users.remove(user.username);
  return {};
}
