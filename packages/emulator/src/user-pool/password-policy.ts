import type { PasswordPolicy } from "@cogkit/core";
import { CognitoError } from "../protocol/cognito-error.js";

// Cognito's list of characters that count as symbols.
const symbols = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

/**
 * Throws Cognito's `InvalidPasswordException` for the first rule the password breaks,
 * in the order Cognito checks them (length first).
 *
 * @example
 * checkPasswordPolicy(pool.passwordPolicy, "short"); // throws "Password not long enough"
 */
export function checkPasswordPolicy(policy: Required<PasswordPolicy>, password: string): void {
  const fail = (reason: string) => {
    throw new CognitoError("InvalidPasswordException", `Password did not conform with policy: ${reason}`);
  };
  if ([...password].length < policy.minLength) fail("Password not long enough");
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail("Password must have lowercase characters");
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail("Password must have uppercase characters");
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail("Password must have numeric characters");
  if (policy.requireSymbols && ![...password].some((c) => symbols.has(c))) fail("Password must have symbol characters");
}
