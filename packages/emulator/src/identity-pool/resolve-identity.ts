import { CognitoError } from "../protocol/cognito-error.js";
import type { EmulatorState } from "../emulator-state.js";
import type { IdentityPoolModel } from "./identity-pool-options.js";
import type { IdentityRecord } from "./identity-store.js";
import { verifyLogins, type VerifiedLogin } from "./verify-logins.js";

/** The identity pool of a state, or the error Cognito gives for a pool that is not there. */
export function requireIdentityPool(state: EmulatorState, identityPoolId?: string): IdentityPoolModel {
  const pool = state.identityPool;
  if (!pool || (identityPoolId !== undefined && identityPoolId !== pool.id)) {
    throw new CognitoError("ResourceNotFoundException", `IdentityPool '${identityPoolId ?? ""}' not found.`);
  }
  return pool;
}

const unauthenticatedRefused = () => new CognitoError("NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.");
const loginsDoNotMatch = () =>
  new CognitoError("NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.");

/** Identities other than `except` that hold one of the logins, each once. */
function ownersOf(state: EmulatorState, logins: readonly VerifiedLogin[], except?: IdentityRecord): IdentityRecord[] {
  const owners = new Map<string, IdentityRecord>();
  for (const login of logins) {
    const owner = state.identities.ownerOf(login);
    if (owner && owner !== except) owners.set(owner.id, owner);
  }
  return [...owners.values()];
}

/**
 * `GetId`'s choice: a new guest without logins; with logins, the identity they are linked
 * to (merging any others they are linked to into it), or a new authenticated identity.
 */
export async function identityForLogins(state: EmulatorState, logins: Record<string, string> | undefined): Promise<IdentityRecord> {
  const pool = requireIdentityPool(state);
  const verified = await verifyLogins(state, logins ?? {});
  if (verified.length === 0) {
    if (!pool.allowUnauthenticated) throw unauthenticatedRefused();
    return state.identities.create([]);
  }
  const [target, ...others] = ownersOf(state, verified);
  if (!target) return state.identities.create(verified);
  for (const other of others) state.identities.merge(other, target);
  state.identities.link(target, verified);
  return target;
}

/**
 * Who a `GetCredentialsForIdentity` / `GetOpenIdToken` call is for, following Cognito's
 * rules: an unknown id is not found; a merged-away or disabled one is forbidden; a guest
 * presenting a new login becomes that authenticated identity (same id), and one presenting
 * a login linked elsewhere is merged into that identity (the answer is for it); an
 * authenticated identity must present one of its own logins.
 */
export async function resolveIdentityCall(
  state: EmulatorState,
  identityId: string,
  logins: Record<string, string> | undefined,
): Promise<{ identity: IdentityRecord; logins: VerifiedLogin[] }> {
  const pool = requireIdentityPool(state);
  const identity = state.identities.get(identityId);
  if (!identity) throw new CognitoError("ResourceNotFoundException", `Identity '${identityId}' not found.`);
  if (identity.mergedInto !== undefined) throw new CognitoError("NotAuthorizedException", `Access to Identity '${identityId}' is forbidden.`);
  if (!identity.enabled) throw new CognitoError("NotAuthorizedException", `Identity '${identityId}' is disabled.`);
  const verified = await verifyLogins(state, logins ?? {});
  if (verified.length === 0) {
    if (identity.logins.length > 0) throw loginsDoNotMatch();
    if (!pool.allowUnauthenticated) throw unauthenticatedRefused();
    return { identity, logins: [] };
  }
  const owners = ownersOf(state, verified, identity);
  if (identity.logins.length === 0) {
    const [target, ...others] = owners;
    if (!target) {
      state.identities.link(identity, verified);
      return { identity, logins: verified };
    }
    if (!target.enabled) throw new CognitoError("NotAuthorizedException", `Identity '${target.id}' is disabled.`);
    for (const other of others) state.identities.merge(other, target);
    state.identities.merge(identity, target);
    state.identities.link(target, verified);
    return { identity: target, logins: verified };
  }
  const ownLogin = verified.some((login) => state.identities.ownerOf(login) === identity);
  if (!ownLogin) throw loginsDoNotMatch();
  for (const other of owners) state.identities.merge(other, identity);
  state.identities.link(identity, verified);
  return { identity, logins: verified };
}
