import type { AuthClient } from "../client.js";
import type { UserAttributes, UserAttributeSchema } from "../config.js";
import { userFromIdToken } from "../user-from-id-token.js";
import { runSignedIn } from "./run-checked.js";

/** Options of {@link fetchUserAttributes}, {@link fetchMfaPreference} and {@link deleteUser}. */
export interface AccountCallOptions {
  signal?: AbortSignal;
}

/**
 * The signed-in user's attributes as Cognito holds them now (GetUser), typed like
 * `user.attributes`: `custom:*` values with the type the schema's `dataType` gives,
 * `email_verified` and `phone_number_verified` as booleans. Unlike `getSnapshot().user`
 * (the id token's claims), it includes what tokens leave out and what changed since they
 * were issued. Fails with `ERR_NOT_SIGNED_IN` when nobody is signed in.
 *
 * @example
 * const attributes = await fetchUserAttributes(client);
 * if (attributes["custom:is_beta_user"]) showBetaFeatures();
 */
export function fetchUserAttributes<S extends UserAttributeSchema>(client: AuthClient<S>, options: AccountCallOptions = {}): Promise<UserAttributes<S>> {
  return runSignedIn(client, "fetchUserAttributes", options, async (context, accessToken) => {
    const output = await context.transport.userPool("GetUser", { AccessToken: accessToken }, { signal: options.signal });
    // As claims of an id token, where the verified flags are booleans: then the one
    // conversion of custom attributes (all strings at Cognito) serves both.
    const claims: Record<string, unknown> = {};
    for (const { Name, Value } of output.UserAttributes ?? []) {
      if (Name !== undefined && Value !== undefined) claims[Name] = /^(email|phone_number)_verified$/.test(Name) ? Value === "true" : Value;
    }
    return userFromIdToken(claims, context.config.userAttributes as S | undefined).attributes;
  });
}
