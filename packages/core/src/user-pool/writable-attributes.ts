import {
  type AuthConfig,
  type CustomAttributeKey,
  type StandardAttributeKey,
  standardAttributeNames,
  type UserAttributes,
  type UserAttributeSchema,
} from "../config.js";
import { AuthError } from "../errors.js";

/**
 * The attributes a signed-in user may change, by Cognito name (as in `user.attributes` and
 * `signUp`): the standard ones the schema does not mark `mutable: false`, and the schema's
 * own `custom:*` ones that are not `mutable: false`, each with the type its `dataType` gives
 * (`custom:is_beta_user` with `dataType: "Boolean"` takes a `boolean`). `sub` and the
 * `*_verified` flags are Cognito's to set.
 *
 * @example
 * const changes: WritableAttributes<typeof auth.userAttributes> = { given_name: "Ana", "custom:is_beta_user": true };
 */
export type WritableAttributes<S extends UserAttributeSchema = UserAttributeSchema> = {
  [K in StandardAttributeKey as K extends keyof S ? (S[K] extends { mutable: false } ? never : (typeof standardAttributeNames)[K]) : (typeof standardAttributeNames)[K]]?: string;
} & {
  [K in keyof S as K extends CustomAttributeKey ? (S[K] extends { mutable: false } ? never : K) : never]?: Exclude<UserAttributes<S>[K & keyof UserAttributes<S>], undefined>;
};

/** The name of an attribute the user may change (or delete); see {@link WritableAttributes}. */
export type WritableAttributeName<S extends UserAttributeSchema = UserAttributeSchema> = keyof WritableAttributes<S> & string;


/**
 * Checks, before any request, that the user may write each attribute named: one the
 * schema knows (any standard attribute; a `custom:*` one only if declared) and not
 * `mutable: false`; when `deleting`, not `required` either. Returns the `dataType` of each
 * custom attribute named, for the value checks. A refusal is an `AuthError`
 * `ERR_INVALID_PARAMETER` naming the attribute, as Cognito's own would be.
 *
 * @example
 * checkWritableNames(context.config, ["given_name"], "updateUserAttributes");
 */
export function checkWritableNames(config: AuthConfig<any>, names: readonly string[], operation: string, deleting = false): Array<string | undefined> {
  // Cognito names of the standard attributes, to find their schema keys. Made per call: a
  // module-level Map would be code that runs at import, kept in every bundle of the entry.
  const standardKeys = new Map(Object.entries(standardAttributeNames).map(([key, name]) => [name as string, key]));
  const schema = (config.userAttributes ?? {}) as Record<string, { mutable?: boolean; required?: boolean; dataType?: string } | undefined>;
  return names.map((name) => {
    const custom = name.startsWith("custom:");
    const key = custom ? name : standardKeys.get(name);
    const declared = key !== undefined && Object.hasOwn(schema, key) ? schema[key] : undefined;
    const problem =
      key === undefined || (custom && !declared)
        ? "is not an attribute of the schema (declare custom:* attributes in defineAuth's userAttributes)"
        : declared?.mutable === false
          ? "is immutable (mutable: false)"
          : deleting && declared?.required
            ? "is required"
            : undefined;
    if (problem) throw new AuthError("ERR_INVALID_PARAMETER", `${operation}: the attribute ${JSON.stringify(name)} ${problem}`);
    return declared?.dataType;
  });
}
