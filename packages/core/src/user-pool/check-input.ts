import { AuthError } from "../errors.js";

// Misuse (a wrong type) is a TypeError thrown at once; a value of the right type that
// Cognito would refuse is an AuthError, raised before any request.

/** Checks that `input` is an object. */
export function checkObject(input: unknown, operation: string): asserts input is object {
  if (input === null || typeof input !== "object") throw new TypeError(`${operation} takes an options object`);
}

/** What every user-pool call for one user takes, checked. */
export interface UserInput {
  username: string;
  clientMetadata: Record<string, string> | undefined;
  signal: AbortSignal | undefined;
}

/**
 * Checks the input object and the fields the user-pool calls share: a `username` of 1 to
 * 128 characters, an optional `clientMetadata` mapping names to strings, an optional `signal`.
 */
export function checkUserInput(
  input: { username: unknown; clientMetadata?: unknown; signal?: unknown },
  operation: string,
): UserInput {
  checkObject(input, operation);
  const { username, clientMetadata, signal } = input;
  if (typeof username !== "string") throw new TypeError(`${operation}: \`username\` must be a string`);
  if (username.trim() === "" || username.length > 128) {
    throw new AuthError("ERR_INVALID_PARAMETER", `${operation}: \`username\` must have 1 to 128 characters`);
  }
  checkOptional(input, operation);
  return { username, clientMetadata, signal } as UserInput;
}

/** Checks the optional `clientMetadata` (and any other field named) maps names to strings, and `signal`. */
export function checkOptional(input: object, operation: string, field = "clientMetadata"): void {
  const fields = input as Record<string, unknown>;
  for (const name of ["clientMetadata", field]) {
    const value = fields[name];
    if (value !== undefined && (!value || typeof value !== "object" || Object.values(value).some((v) => typeof v !== "string"))) {
      throw new TypeError(`${operation}: \`${name}\` must map names to strings`);
    }
  }
  if (fields.signal !== undefined && typeof (fields.signal as AbortSignal | null)?.aborted !== "boolean") {
    throw new TypeError(`${operation}: \`signal\` must be an AbortSignal`);
  }
}

/** A non-empty string field (password, code). The value never enters the message. */
export function checkText(value: unknown, field: string, operation: string): string {
  if (typeof value !== "string") throw new TypeError(`${operation}: \`${field}\` must be a string`);
  if (value === "") throw new AuthError("ERR_INVALID_PARAMETER", `${operation}: \`${field}\` must not be empty`);
  return value;
}
