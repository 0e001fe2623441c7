import type { AuthClient } from "../client.js";
import type { UserAttributeSchema } from "../config.js";
import { checkObject, checkOptional } from "./check-input.js";
import { type CodeDelivery, toCodeDelivery } from "./next-step.js";
import { refreshAfterChange } from "./refresh-after-change.js";
import { runChecked } from "./run-checked.js";
import { checkWritableNames, type WritableAttributeName, type WritableAttributes } from "./writable-attributes.js";

/** Input of {@link updateUserAttributes}. */
export interface UpdateUserAttributesInput<S extends UserAttributeSchema = UserAttributeSchema> {
  /** New values by Cognito name (as in `user.attributes`); an empty string removes the attribute. */
  attributes: WritableAttributes<S>;
  /** Passed to the pool's Lambda triggers. */
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * What became of one attribute: `done` (the new value is the user's), or waiting for the
 * code Cognito sent to the new email or phone number (`codeDelivery` says where): pass it
 * to {@link confirmUserAttribute}. Until then Cognito keeps the old, verified value where
 * the pool says so.
 */
export type AttributeUpdate = { done: true } | { done: false; codeDelivery: CodeDelivery };

/** What {@link updateUserAttributes} returns: an {@link AttributeUpdate} for each attribute given. */
export type UpdateUserAttributesResult<A> = { -readonly [K in keyof A]-?: AttributeUpdate };

/**
 * Changes the signed-in user's attributes (UpdateUserAttributes), named as in
 * `user.attributes` and typed by the `defineAuth` schema. An attribute the schema lacks or
 * marks `mutable: false` is refused (`ERR_INVALID_PARAMETER`) before any request. A new
 * email or phone number waits for a code; everything else is done. Then the tokens are
 * refreshed so `getSnapshot().user` shows the new values at once; if that refresh fails,
 * the change still stands and the call succeeds (the session retries the refresh by itself).
 * Fails with `ERR_NOT_SIGNED_IN` when nobody is signed in, `ERR_ALIAS_EXISTS` when another
 * user signs in with the new email or phone number.
 *
 * @example
 * const result = await updateUserAttributes(client, { attributes: { given_name: "Ana", email: "ana@example.com" } });
 * if (!result.email.done) await confirmUserAttribute(client, { attribute: "email", code: await ask(result.email.codeDelivery) });
 */
export function updateUserAttributes<S extends UserAttributeSchema, const A extends WritableAttributes<S>>(
  client: AuthClient<S>,
  // Keys beyond the writable ones are `never`: a generic `A` alone would let a misspelt name through.
  input: UpdateUserAttributesInput<S> & { attributes: A & { [K in Exclude<keyof A, WritableAttributeName<S>>]: never } },
): Promise<UpdateUserAttributesResult<A>> {
  return runChecked(client, "updateUserAttributes", (context) => {
    checkObject(input, "updateUserAttributes");
    checkOptional(input, "updateUserAttributes");
    const { attributes, signal } = input;
    if (attributes === null || typeof attributes !== "object") throw new TypeError("updateUserAttributes: `attributes` must be an object");
    const entries = Object.entries(attributes as Record<string, unknown>).filter(([, value]) => value !== undefined);
    const expected = (dataType: string | undefined) => (dataType === "Boolean" ? "boolean" : dataType === "Number" ? "number" : "string");
    const dataTypes = checkWritableNames(context.config, entries.map(([name]) => name), "updateUserAttributes");
    entries.forEach(([name, value], index) => {
      if (typeof value !== expected(dataTypes[index])) {
        throw new TypeError(`updateUserAttributes: \`attributes[${JSON.stringify(name)}]\` must be a ${expected(dataTypes[index])}`);
      }
    });
    if (entries.length === 0) throw new TypeError("updateUserAttributes: `attributes` names no attribute");
    return (async () => {
      const { accessToken } = await context.session.getTokens();
      const output = await context.transport.userPool(
        "UpdateUserAttributes",
        {
          AccessToken: accessToken,
          UserAttributes: entries.map(([Name, value]) => ({ Name, Value: String(value) })),
          ClientMetadata: input.clientMetadata,
        },
        { signal },
      );
      const result: Record<string, AttributeUpdate> = {};
      for (const [name] of entries) {
        const delivery = output.CodeDeliveryDetailsList?.find((details) => details.AttributeName === name);
        result[name] = delivery ? { done: false, codeDelivery: toCodeDelivery(delivery) } : { done: true };
      }
      await refreshAfterChange(context);
      return result as UpdateUserAttributesResult<A>;
    })();
  });
}
