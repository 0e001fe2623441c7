import { randomInt } from "node:crypto";
import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { createLazySrpVerifier, createSrpVerifier } from "../srp/srp-math.js";
import { createUuid } from "../ids.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkUserAttributes, isEmail, isPhoneNumber } from "./attribute-schema.js";
import { checkPasswordPolicy } from "./password-policy.js";
import type { UserRecord } from "./user-store.js";

/** Cognito's default life of a temporary password: seven days. */
export const temporaryPasswordLifetimeMs = 7 * 24 * 60 * 60 * 1000;

const verifiedFlags = new Set(["email_verified", "phone_number_verified"]);

// Meets any policy the emulator accepts: every class, then length.
function generateTemporaryPassword(minLength: number): string {
  const classes = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "!#%&*+-=?@^_"];
  const chars = classes.map((c) => c[randomInt(c.length)]!);
  const all = classes.join("");
  while (chars.length < Math.max(minLength, 12)) chars.push(all[randomInt(all.length)]!);
  return chars.join("");
}

/**
 * Makes a FORCE_CHANGE_PASSWORD user whose first sign-in answers NEW_PASSWORD_REQUIRED, or,
 * given a permanent `password`, a CONFIRMED one (AdminCreateUser then AdminSetUserPassword
 * with `Permanent`). Shared by `AdminCreateUser` and `emulator.createUser`.
 */
export function createForcedUser(
  state: EmulatorState,
  input: { username: string; temporaryPassword: string | undefined; password?: string; attributes: ReadonlyArray<{ Name: string; Value: string }> },
): UserRecord {
  const { pool, users } = state;
  const sub = createUuid();
  let realUsername = input.username;
  const provided = input.attributes.filter((a) => !verifiedFlags.has(a.Name));
  if (pool.usernameAttributes.length > 0) {
    const kind = pool.usernameAttributes.find((k) => (k === "email" ? isEmail(input.username) : isPhoneNumber(input.username)));
    if (!kind) throw invalidParameter(`Username should be either an email or a phone number.`);
    realUsername = sub;
    const other = provided.find((a) => a.Name === kind);
    if (other && other.Value.toLowerCase() !== input.username.toLowerCase()) throw invalidParameter(`The ${kind} attribute must match the username.`);
    if (!other) provided.push({ Name: kind, Value: input.username });
  }
  const password = input.password ?? input.temporaryPassword ?? generateTemporaryPassword(pool.passwordPolicy.minLength);
  checkPasswordPolicy(pool.passwordPolicy, password);
  // Required attributes may be missing: NEW_PASSWORD_REQUIRED asks for them.
  const attributes = checkUserAttributes(pool, provided);
  if (users.byUsername(realUsername)) throw new CognitoError("UsernameExistsException", "User account already exists");
  for (const kind of pool.usernameAttributes) {
    const value = attributes.get(kind);
    if (value !== undefined && users.withAttribute(kind, value).length > 0) throw new CognitoError("UsernameExistsException", "An account with the given email already exists.");
  }
  const now = state.clock.now();
  const full = new Map<string, string>([["sub", sub], ...attributes]);
  for (const flag of verifiedFlags) {
    const given = input.attributes.find((a) => a.Name === flag)?.Value;
    if (given !== undefined && given !== "true" && given !== "false") throw invalidParameter(`${flag}: must be true or false`);
    if (given !== undefined) full.set(flag, given);
  }
  const user: UserRecord = {
    username: realUsername,
    sub,
    ...(input.password === undefined ? { status: "FORCE_CHANGE_PASSWORD", temporaryPasswordExpiresAt: now + temporaryPasswordLifetimeMs } : { status: "CONFIRMED" }),
    enabled: true,
    attributes: full,
    // A permanent password is how tests seed users, often many: its verifier waits for a sign-in.
    password: (input.password === undefined ? createSrpVerifier : createLazySrpVerifier)({ poolName: pool.name, userId: realUsername, password }, state.modPow),
    groups: new Set(),
    codes: new Map(),
    createdAt: now,
    updatedAt: now,
  };
  users.add(user);
  return user;
}

/**
 * `AdminCreateUser`. The emulator checks no IAM: any caller may use it, as if it held
 * `cognito-idp:AdminCreateUser`. No invitation is sent (the temporary password is the
 * caller's, or generated and unknown), so only `MessageAction: "SUPPRESS"` behaves fully.
 */
export async function adminCreateUser(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const poolId = v.string("UserPoolId", "userPoolId", { required: true, minLength: 1, maxLength: 55, pattern: { source: "[\\w-]+_[0-9a-zA-Z]+", test: (s) => /^[\w-]+_[0-9a-zA-Z]+$/.test(s) } });
  const username = v.string("Username", "username", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.username });
  const temporaryPassword = v.string("TemporaryPassword", "temporaryPassword", { sensitive: true, maxLength: 256, pattern: patterns.password });
  v.string("MessageAction", "messageAction", { oneOf: ["RESEND", "SUPPRESS"] });
  const attributes = v.attributeList("UserAttributes", "userAttributes") ?? [];
  v.attributeList("ValidationData", "validationData");
  v.stringMap("ClientMetadata", "clientMetadata");
  v.throwIfInvalid();
  if (poolId !== state.pool.id) throw new CognitoError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
  const user = createForcedUser(state, { username, temporaryPassword, attributes });
  const seconds = user.createdAt / 1000;
  return {
    User: {
      Username: user.username,
      Attributes: [...user.attributes].map(([Name, Value]) => ({ Name, Value })),
      UserCreateDate: seconds,
      UserLastModifiedDate: seconds,
      Enabled: true,
      UserStatus: "FORCE_CHANGE_PASSWORD",
    },
  };
}
