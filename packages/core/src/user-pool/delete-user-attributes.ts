import type { AuthClient } from "../client.js";
import type { UserAttributeSchema } from "../config.js";
import { checkObject, checkOptional } from "./check-input.js";
import { refreshAfterChange } from "./refresh-after-change.js";
import { runChecked } from "./run-checked.js";
import { checkWritableNames, type WritableAttributeName } from "./writable-attributes.js";

/** Input of {@link deleteUserAttributes}. */
export interface DeleteUserAttributesInput<S extends UserAttributeSchema = UserAttributeSchema> {
  /** Cognito names, as in `user.attributes`. */
  attributes: ReadonlyArray<WritableAttributeName<S>>;
  signal?: AbortSignal;
}

/**
 * Removes attributes from the signed-in user (DeleteUserAttributes). One the schema lacks,
 * marks `mutable: false` or `required` is refused (`ERR_INVALID_PARAMETER`) before any
 * request. Then the tokens are refreshed so `getSnapshot().user` no longer shows them; if
 * that refresh fails, the deletion still stands and the call succeeds (the session retries
 * the refresh by itself).
 *
 * @example
 * await deleteUserAttributes(client, { attributes: ["nickname", "custom:plan"] });
 */
export function deleteUserAttributes<S extends UserAttributeSchema>(client: AuthClient<S>, input: DeleteUserAttributesInput<S>): Promise<void> {
  return runChecked(client, "deleteUserAttributes", (context) => {
    checkObject(input, "deleteUserAttributes");
    checkOptional(input, "deleteUserAttributes");
    const names: unknown = input.attributes;
    if (!Array.isArray(names) || names.some((name) => typeof name !== "string")) {
      throw new TypeError("deleteUserAttributes: `attributes` must be an array of attribute names");
    }
    if (names.length === 0) throw new TypeError("deleteUserAttributes: `attributes` names no attribute");
    checkWritableNames(context.config, names, "deleteUserAttributes", true);
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      await context.transport.userPool("DeleteUserAttributes", { AccessToken: accessToken, UserAttributeNames: [...names] }, { signal: input.signal });
      await refreshAfterChange(context);
    })();
  });
}
