import { createSrpVerifier } from "../srp/srp-math.js";
import type { EmulatorState } from "../emulator-state.js";
import type { UserRecord } from "./user-store.js";

/**
 * Ends a NEW_PASSWORD_REQUIRED step, by the API or the hosted UI's login page: stores the
 * new password (as the SRP verifier) and the attributes given with it (checked already), and
 * confirms the user. A new email or phone number is not verified, whatever the old one was.
 */
export function setNewPassword(state: EmulatorState, user: UserRecord, password: string, attributes: ReadonlyMap<string, string>): void {
  for (const [name, value] of attributes) {
    if ((name === "email" || name === "phone_number") && user.attributes.get(name) !== value) user.attributes.set(`${name}_verified`, "false");
    user.attributes.set(name, value);
  }
  user.password = createSrpVerifier({ poolName: state.pool.name, userId: user.username, password }, state.modPow);
  user.status = "CONFIRMED";
  delete user.temporaryPasswordExpiresAt;
  user.updatedAt = state.clock.now();
}
