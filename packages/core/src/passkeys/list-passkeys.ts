import type { AuthClient } from "../client.js";
import type { AccountCallOptions } from "../user-pool/fetch-user-attributes.js";
import { runSignedIn } from "../user-pool/run-checked.js";

/** A passkey of the user, as {@link listPasskeys} describes it. */
export interface Passkey {
  /** The id to pass to `deletePasskey`. */
  credentialId: string;
  /** The name Cognito gives it (from the authenticator, e.g. "iCloud Keychain"), if any. */
  friendlyName: string | undefined;
  relyingPartyId: string | undefined;
  /** `platform` (built into the device) or `cross-platform` (a security key, a phone). */
  authenticatorAttachment: string | undefined;
  /** How the authenticator is reached: `internal`, `usb`, `hybrid`, ... */
  transports: string[];
  createdAt: Date | undefined;
}

/**
 * The signed-in user's passkeys (ListWebAuthnCredentials, every page of it), oldest first as
 * Cognito lists them. `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * for (const passkey of await listPasskeys(client)) show(passkey.friendlyName, passkey.createdAt);
 */
export function listPasskeys(client: AuthClient<any>, options: AccountCallOptions = {}): Promise<Passkey[]> {
  return runSignedIn(client, "listPasskeys", options, async (context, accessToken) => {
    const passkeys: Passkey[] = [];
    let NextToken: string | undefined;
    do {
      const page = await context.transport.userPool("ListWebAuthnCredentials", { AccessToken: accessToken, NextToken, MaxResults: 20 }, { signal: options.signal });
      for (const credential of page.Credentials ?? []) {
        // The SDK gives a Date; the JSON answer epoch seconds.
        const created = credential.CreatedAt as Date | number | undefined;
        passkeys.push({
          credentialId: credential.CredentialId!,
          friendlyName: credential.FriendlyCredentialName,
          relyingPartyId: credential.RelyingPartyId,
          authenticatorAttachment: credential.AuthenticatorAttachment,
          transports: credential.AuthenticatorTransports ?? [],
          createdAt: typeof created == "number" ? new Date(created * 1000) : created,
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return passkeys;
  });
}
