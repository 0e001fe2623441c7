import { createHmac, timingSafeEqual } from "node:crypto";
import { CognitoError } from "../protocol/cognito-error.js";
import type { ClientModel } from "../emulator-options.js";

/**
 * Cognito's SECRET_HASH: Base64(HMAC-SHA256(clientSecret, username + clientId)).
 *
 * @example
 * const hash = computeSecretHash({ clientSecret, clientId, username: "ana@example.com" });
 */
export function computeSecretHash(input: { clientSecret: string; clientId: string; username: string }): string {
  return createHmac("sha256", input.clientSecret).update(input.username + input.clientId).digest("base64");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * For a client with a secret, throws unless `secretHash` is right for one of the usernames
 * (the name the caller sent, or the user's real username where Cognito accepts either).
 * Clients without a secret ignore it.
 */
export function checkSecretHash(client: ClientModel, secretHash: string | undefined, usernames: readonly string[]): void {
  if (client.secret === undefined) return;
  if (secretHash === undefined || secretHash === "") {
    throw new CognitoError("NotAuthorizedException", `Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  }
  const secret = client.secret;
  if (!usernames.some((username) => sameText(secretHash, computeSecretHash({ clientSecret: secret, clientId: client.id, username })))) {
    throw new CognitoError("NotAuthorizedException", `Unable to verify secret hash for client ${client.id}`);
  }
}

/** For GetTokensFromRefreshToken and RevokeToken, which take the raw `ClientSecret`. */
export function checkClientSecret(client: ClientModel, clientSecret: string | undefined): void {
  if (client.secret === undefined) return;
  if (clientSecret === undefined || !sameText(clientSecret, client.secret)) {
    throw new CognitoError("NotAuthorizedException", `Unable to verify secret hash for client ${client.id}`);
  }
}
