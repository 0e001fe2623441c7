import { AuthError } from "../errors.js";

// Misuse (a wrong type) is a TypeError thrown at once; a value of the right type that
// Cognito would refuse is an AuthError, raised before any request.

/** Checks that `input` is an object. */
export function checkObject(input: unknown, operation: string): asserts input is object {
  if (input === null || typeof input !== "object") throw new TypeError(`${operation} takes an options object`);
}

/** A username: a string of 1 to 128 characters. */
export function checkUsername(value: unknown, operation: string): string {
  if (typeof value !== "string") throw new TypeError(`${operation}: \`username\` must be a string`);
  if (value.trim() === "" || value.length > 128) {
    throw new AuthError("ERR_INVALID_PARAMETER", `${operation}: \`username\` must have 1 to 128 characters`);
  }
  return value;
}

/** A non-empty string field (password, code). The value never enters the message. */
export function checkText(value: unknown, field: string, operation: string): string {
  if (typeof value !== "string") throw new TypeError(`${operation}: \`${field}\` must be a string`);
  if (value === "") throw new AuthError("ERR_INVALID_PARAMETER", `${operation}: \`${field}\` must not be empty`);
  return value;
}

/** An optional string-to-string map (`clientMetadata`). */
export function checkStringMap(value: unknown, field: string, operation: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Object.values(value).some((v) => typeof v !== "string")) {
    throw new TypeError(`${operation}: \`${field}\` must map names to strings`);
  }
  return value as Record<string, string>;
}

/** An optional `AbortSignal`. */
export function checkSignal(value: unknown, operation: string): AbortSignal | undefined {
  if (value !== undefined && (value === null || typeof (value as AbortSignal).aborted !== "boolean")) {
    throw new TypeError(`${operation}: \`signal\` must be an AbortSignal`);
  }
  return value as AbortSignal | undefined;
}
