import type { AuthClient } from "../client.js";
import { createIdentityStore } from "../credentials/identity-store.js";
import { deviceRecordKey } from "../devices/device-record.js";
import { readJwtClaims } from "../jwt.js";
import { loginsSubject, userPoolLoginKey } from "../credentials/logins.js";
import { createSafeStorage } from "../platform/storage/safe-storage.js";
import { checkObject, checkOptional } from "./check-input.js";
import type { AccountCallOptions } from "./fetch-user-attributes.js";
import { runChecked } from "./run-checked.js";

/**
 * Deletes the signed-in user's account (DeleteUser), for good. Then the session ends here
 * and in every tab sharing the storage (a `signedOut` event, as after `signOut`), and the
 * identity pool identity id stored for this user is forgotten, so the next credentials are
 * a new guest's; so is the device the client kept for the user. If the deletion fails,
 * nothing changes and the session goes on. Fails with `ERR_NOT_SIGNED_IN` when nobody is
 * signed in.
 *
 * @example
 * if (confirm("Delete your account?")) await deleteUser(client);
 */
export function deleteUser(client: AuthClient<any>, options: AccountCallOptions = {}): Promise<void> {
  return runChecked(client, "deleteUser", (context) => {
    checkObject(options, "deleteUser");
    checkOptional(options, "deleteUser");
    const { config, platform, session, transport } = context;
    return (async () => {
      const { accessToken, idToken } = await session.getTokens();
      await transport.userPool("DeleteUser", { AccessToken: accessToken }, { signal: options.signal });
      // Before the session ends: a guest identity saved by a listener of `signedOut` is not this user's to remove.
      if (config.identityPoolId) {
        const identities = createIdentityStore({ storage: platform.storage, identityPoolId: config.identityPoolId });
        const stored = await identities.load();
        // The identity of this user only: one a `federate` sign-in holds is not the user pool's.
        if (stored && stored.subject === loginsSubject({ [userPoolLoginKey(config.region, config.userPoolId)]: idToken })) await identities.clear();
      }
      // Cognito forgot the user's devices with the user.
      await createSafeStorage(platform.storage).removeItem(deviceRecordKey(config.userPoolClientId, String(readJwtClaims(accessToken)?.username)));
      // Cognito has revoked the user's tokens: nothing is left to revoke, as signOut would.
      await session.signOut();
    })();
  });
}
