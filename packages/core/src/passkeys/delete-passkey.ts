import type { AuthClient } from "../client.js";
import { checkObject, checkOptional, checkText } from "../user-pool/check-input.js";
import { runChecked } from "../user-pool/run-checked.js";

/** Input of {@link deletePasskey}. */
export interface DeletePasskeyInput {
  /** A `credentialId` from `listPasskeys`. */
  credentialId: string;
  signal?: AbortSignal;
}

/**
 * Deletes one of the signed-in user's passkeys (DeleteWebAuthnCredential): it can no longer
 * sign in (the copy on the authenticator stays until the user removes it there).
 * `ERR_RESOURCE_NOT_FOUND` when the user has no passkey of that id.
 *
 * @example
 * await deletePasskey(client, { credentialId: passkey.credentialId });
 */
export function deletePasskey(client: AuthClient<any>, input: DeletePasskeyInput): Promise<void> {
  return runChecked(client, "deletePasskey", (context) => {
    checkObject(input, "deletePasskey");
    checkOptional(input, "deletePasskey");
    const CredentialId = checkText(input.credentialId, "credentialId", "deletePasskey");
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      await context.transport.userPool("DeleteWebAuthnCredential", { AccessToken: accessToken, CredentialId }, { signal: input.signal });
    })();
  });
}
