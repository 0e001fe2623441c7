import { standardAttributeNames } from "@cogkit/core";
import { invalidParameter } from "../protocol/cognito-error.js";
import type { PoolModel } from "../emulator-options.js";

const standard = new Set<string>(Object.values(standardAttributeNames));
/** Attributes Cognito manages; a default app client may not write them. */
export const readOnly = new Set(["sub", "email_verified", "phone_number_verified", "cognito:user_status", "identities"]);

/** Cognito's InvalidParameterException for attributes that break the pool schema. */
export const schemaError = (detail: string) => invalidParameter(`Attributes did not conform to the schema: ${detail}`);

/** Cognito's check of an email attribute value. */
export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
/** Cognito's E.164 check of a phone_number value. */
export const isPhoneNumber = (value: string): boolean => /^\+[1-9]\d{4,14}$/.test(value);

/**
 * Refuses a name a client may not write: one Cognito manages, or one the schema lacks.
 *
 * @example
 * checkWritableName(pool, "custom:plan");
 */
export function checkWritableName(pool: PoolModel, name: string): void {
  if (readOnly.has(name)) throw invalidParameter("A client attempted to write unauthorized attribute");
  if (!standard.has(name) && !(name.startsWith("custom:") && pool.attributes[name])) {
    throw schemaError(`Type for attribute {${name}} could not be determined`);
  }
}

/**
 * Checks attributes a client writes against the pool schema, the way Cognito does at
 * SignUp (and later: `existing` makes immutable ones that are set fixed, `updating` all of them).
 * Returns them as a map of wire names.
 *
 * @example
 * const attributes = checkUserAttributes(pool, [{ Name: "email", Value: "ana@example.com" }]);
 */
export function checkUserAttributes(
  pool: PoolModel,
  list: ReadonlyArray<{ Name: string; Value: string }>,
  options: { existing?: ReadonlyMap<string, string>; requireAll?: boolean; updating?: boolean } = {},
): Map<string, string> {
  const values = new Map<string, string>();
  for (const { Name, Value } of list) {
    checkWritableName(pool, Name);
    const declared = pool.attributes[Name];
    // Once a user exists, an immutable attribute is fixed, set or not (UpdateUserAttributes).
    if ((options.updating || options.existing?.has(Name)) && declared?.mutable === false) {
      throw invalidParameter(`Cannot modify the non-mutable attribute ${Name}`);
    }
    if (Name === "email" && !isEmail(Value)) throw invalidParameter("Invalid email address format.");
    if (Name === "phone_number" && !isPhoneNumber(Value)) throw invalidParameter("Invalid phone number format.");
    if ([...Value].length > (declared?.maxLen ?? 2048)) throw schemaError(`${Name}: String must be no longer than ${declared?.maxLen ?? 2048} characters`);
    if (declared?.minLen !== undefined && [...Value].length < declared.minLen) throw schemaError(`${Name}: String must be at least ${declared.minLen} characters`);
    if (declared?.dataType === "Number") {
      if (!/^-?\d+$/.test(Value)) throw schemaError(`${Name}: Number must be an integer`);
      const n = Number(Value);
      if ((declared.min !== undefined && n < declared.min) || (declared.max !== undefined && n > declared.max)) {
        throw schemaError(`${Name}: Number must be within ${declared.min ?? "-∞"} and ${declared.max ?? "∞"}`);
      }
    }
    if (declared?.dataType === "Boolean" && Value !== "true" && Value !== "false") throw schemaError(`${Name}: Boolean must be true or false`);
    if (declared?.dataType === "DateTime" && Number.isNaN(Date.parse(Value))) throw schemaError(`${Name}: DateTime must be a date`);
    values.set(Name, Value);
  }
  if (options.requireAll) {
    for (const [name, settings] of Object.entries(pool.attributes)) {
      if (settings?.required && !values.get(name)) {
        throw schemaError(`${name}: The attribute ${name} is required`);
      }
    }
  }
  return values;
}
