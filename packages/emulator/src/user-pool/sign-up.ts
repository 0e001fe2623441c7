import { CognitoError, invalidParameter } from "../protocol/cognito-error.js";
import { createInputValidator, patterns } from "../protocol/validate-input.js";
import { createOpaqueToken, createUuid } from "../ids.js";
import { createSrpVerifier } from "../srp/srp-math.js";
import type { EmulatorState } from "../emulator-state.js";
import { checkUserAttributes, isEmail, isPhoneNumber } from "./attribute-schema.js";
import { deliverCode, deliveryAttribute, type CodeDeliveryDetails } from "./deliver-code.js";
import { checkPasswordPolicy } from "./password-policy.js";
import { requireClient } from "./require-client.js";
import { checkSecretHash } from "./secret-hash.js";
import type { UserRecord } from "./user-store.js";

/** Reads the username-ish members every user-pool operation shares. */
export function readClientAndUsername(input: Record<string, unknown>) {
  const v = createInputValidator(input);
  const clientId = v.string("ClientId", "clientId", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.clientId });
  const username = v.string("Username", "username", { required: true, sensitive: true, minLength: 1, maxLength: 128, pattern: patterns.username });
  const secretHash = v.string("SecretHash", "secretHash", { sensitive: true, minLength: 1, maxLength: 128 });
  return { v, clientId, username, secretHash };
}

function usernameShapeError(kinds: ReadonlyArray<"email" | "phone_number">): CognitoError {
  if (kinds.length === 2) return invalidParameter("Username should be either an email or a phone number.");
  return invalidParameter(kinds[0] === "email" ? "Username should be an email." : "Username should be a phone number.");
}

/** Whether users may sign up without a password: the pool offers EMAIL_OTP or SMS_OTP first. */
export function allowsPasswordlessSignUp(state: EmulatorState): boolean {
  const factors = state.pool.allowedFirstAuthFactors;
  return factors.has("EMAIL_OTP") || factors.has("SMS_OTP");
}

/**
 * `SignUp`: checks the username's shape, the password policy and the attribute schema,
 * refuses duplicates, stores an SRP verifier (never the password) and sends a code. The
 * password may be left out where passwordless sign-in is on.
 */
export async function signUp(input: Record<string, unknown>, state: EmulatorState) {
  const { v, clientId, username, secretHash } = readClientAndUsername(input);
  // Where passwordless sign-in (an emailed or texted code) is on, a user may sign up without a password.
  const passwordless = allowsPasswordlessSignUp(state) && (input.Password === undefined || input.Password === null || input.Password === "");
  const password = passwordless
    ? undefined
    : v.string("Password", "password", { required: true, sensitive: true, minLength: 1, maxLength: 256, pattern: patterns.password });
  const attributeList = v.attributeList("UserAttributes", "userAttributes") ?? [];
  v.throwIfInvalid();
  const client = requireClient(state, clientId);
  checkSecretHash(client, secretHash, [username]);
  const { pool, users } = state;

  let realUsername = username;
  const sub = createUuid();
  const provided = [...attributeList];
  if (pool.usernameAttributes.length > 0) {
    const kind = pool.usernameAttributes.find((k) => (k === "email" ? isEmail(username) : isPhoneNumber(username)));
    if (!kind) throw usernameShapeError(pool.usernameAttributes);
    realUsername = sub;
    const others = provided.filter((a) => a.Name !== kind);
    provided.length = 0;
    provided.push(...others, { Name: kind, Value: username });
  } else if (pool.aliasAttributes.includes("email") && isEmail(username)) {
    throw invalidParameter("Username cannot be of email format, since user pool is configured for email alias.");
  } else if (pool.aliasAttributes.includes("phone_number") && isPhoneNumber(username)) {
    throw invalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.");
  }

  if (password !== undefined) checkPasswordPolicy(pool.passwordPolicy, password);
  const attributes = checkUserAttributes(pool, provided, { requireAll: true });

  if (users.byUsername(realUsername)) throw new CognitoError("UsernameExistsException", "User already exists");
  for (const kind of pool.usernameAttributes) {
    const value = attributes.get(kind);
    if (value !== undefined && users.withAttribute(kind, value).length > 0) {
      throw new CognitoError("UsernameExistsException", `An account with the given ${kind} already exists.`);
    }
  }

  const now = state.clock.now();
  const full = new Map<string, string>([["sub", sub], ...attributes]);
  if (full.has("email")) full.set("email_verified", "false");
  if (full.has("phone_number")) full.set("phone_number_verified", "false");
  const user: UserRecord = {
    username: realUsername,
    sub,
    status: "UNCONFIRMED",
    enabled: true,
    attributes: full,
    // A passwordless user's verifier is of a secret nobody knows, so every password fails as a wrong one.
    password: createSrpVerifier({ poolName: pool.name, userId: realUsername, password: password ?? createOpaqueToken(32) }, state.modPow),
    ...(password === undefined ? { passwordless: true } : {}),
    groups: new Set(),
    codes: new Map(),
    createdAt: now,
    updatedAt: now,
  };
  users.add(user);

  const target = deliveryAttribute(user);
  const details: CodeDeliveryDetails | undefined = target ? deliverCode(state, user, "signUp", target) : undefined;
  return {
    UserConfirmed: false,
    UserSub: sub,
    ...(details ? { CodeDeliveryDetails: details } : {}),
    // For ConfirmSignUp to sign the user in after; ConfirmSignUp hands out the Session that does.
    ...(client.authFlows.has("ALLOW_USER_AUTH") ? { Session: createOpaqueToken(192) } : {}),
  };
}
