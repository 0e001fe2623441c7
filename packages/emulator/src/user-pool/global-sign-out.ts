import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken } from "./get-user.js";

/** `GlobalSignOut`: revokes every refresh token of the user and the access tokens they issued. */
export async function globalSignOut(input: Record<string, unknown>, state: EmulatorState) {
  const user = await authenticateAccessToken(input, state);
  state.refreshTokens.revokeUser(user.username);
  return {};
}
