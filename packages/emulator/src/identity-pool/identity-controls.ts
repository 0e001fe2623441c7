import type { EmulatorState } from "../emulator-state.js";
import type { IdentityDescription } from "./identity-store.js";

function requireIdentity(state: EmulatorState, identityId: string, action: string) {
  const identity = typeof identityId === "string" ? state.identities.get(identityId) : undefined;
  if (!identity) throw new TypeError(`${action}: no identity ${JSON.stringify(identityId)} in the identity pool`);
  return identity;
}

/** Deletes an identity: its id then answers ResourceNotFoundException, its logins get a new one. */
export function deleteIdentity(state: EmulatorState, identityId: string): void {
  requireIdentity(state, identityId, "deleteIdentity");
  state.identities.delete(identityId);
}

/** Disables an identity: its id then answers NotAuthorizedException. */
export function disableIdentity(state: EmulatorState, identityId: string): void {
  const identity = requireIdentity(state, identityId, "disableIdentity");
  identity.enabled = false;
  identity.lastModifiedAt = state.clock.now();
}

/** Every identity of the pool, merged-away ones included. */
export function listIdentities(state: EmulatorState): IdentityDescription[] {
  return state.identities.list();
}
