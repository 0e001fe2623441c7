import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import { authenticateAccessToken } from "./get-user.js";

/**
 * A passkey registered to a user, kept on the user record as plain JSON data (a state file
 * saves it as is). Binary values are base64url, times ms since the epoch.
 */
export interface StoredPasskey {
  credentialId: string;
  /** The COSE public key the authenticator made. */
  publicKey: string;
  /** The authenticator's signature counter as last seen (0 for authenticators that keep none). */
  counter: number;
  transports: string[];
  attachment?: string;
  relyingPartyId: string;
  friendlyName: string;
  createdAt: number;
}

/** Passkeys one user may hold, as Cognito allows. */
export const maxPasskeysPerUser = 20;

/** Cognito's refusal of passkey operations in a pool that does not offer WEB_AUTHN. */
export function requireWebAuthn(state: EmulatorState): void {
  if (!state.pool.allowedFirstAuthFactors.has("WEB_AUTHN")) {
    throw new CognitoError("WebAuthnNotEnabledException", "Passkey sign-in is not enabled for this user pool (allowedFirstAuthFactors lacks WEB_AUTHN).");
  }
}

function readMaxResults(input: Record<string, unknown>): number {
  const value = input.MaxResults;
  if (value === undefined || value === null) return maxPasskeysPerUser;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new CognitoError("SerializationException", "Unexpected value type for 'maxResults': expected an integer");
  if (value < 1 || value > maxPasskeysPerUser) {
    throw invalidParameter(`1 validation error detected: Value '${value}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${maxPasskeysPerUser}`);
  }
  return value;
}

/** `ListWebAuthnCredentials`: the signed-in user's passkeys, oldest first, a page at a time. */
export async function listWebAuthnCredentials(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const nextToken = v.string("NextToken", "nextToken", { minLength: 1, maxLength: 131072 });
  v.throwIfInvalid();
  const maxResults = readMaxResults(input);
  const user = await authenticateAccessToken(input, state);
  const passkeys = user.passkeys ?? [];
  // The token is the id of the first passkey of the next page, so a deletion between pages skips nothing.
  const start = nextToken === undefined ? 0 : passkeys.findIndex((p) => p.credentialId === Buffer.from(nextToken, "base64url").toString("utf8"));
  if (start < 0) throw invalidParameter("Invalid NextToken.");
  const page = passkeys.slice(start, start + maxResults);
  const next = passkeys[start + maxResults];
  return {
    Credentials: page.map((p) => ({
      CredentialId: p.credentialId,
      FriendlyCredentialName: p.friendlyName,
      RelyingPartyId: p.relyingPartyId,
      ...(p.attachment ? { AuthenticatorAttachment: p.attachment } : {}),
      AuthenticatorTransports: p.transports,
      CreatedAt: p.createdAt / 1000,
    })),
    ...(next ? { NextToken: Buffer.from(next.credentialId, "utf8").toString("base64url") } : {}),
  };
}

/** `DeleteWebAuthnCredential`: removes one of the signed-in user's passkeys; it signs in no more. */
export async function deleteWebAuthnCredential(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const credentialId = v.string("CredentialId", "credentialId", { required: true, minLength: 1, maxLength: 131072 });
  v.throwIfInvalid();
  const user = await authenticateAccessToken(input, state);
  const index = (user.passkeys ?? []).findIndex((p) => p.credentialId === credentialId);
  if (index < 0) throw new CognitoError("ResourceNotFoundException", "Credential not found.");
  user.passkeys!.splice(index, 1);
  user.updatedAt = state.clock.now();
  return {};
}
