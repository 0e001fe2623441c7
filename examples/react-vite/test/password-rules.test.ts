import { createAuthClient, createMemoryStorage, isAuthError, type PasswordPolicy } from "@cogkit/core";
import { startEmulator } from "@cogkit/emulator";
import { describe, expect, it } from "vitest";
import { auth } from "../src/auth.js";
import { passwordRules } from "../src/password-rules.js";

// The rules the sign-up form ticks must be the ones the pool enforces: a password that meets
// them all is accepted, and one that misses any is refused with ERR_INVALID_PASSWORD.
const candidates = ["Corr3ct-Horse!", "short1!A", "Sh0rt!", "alllowercase1!", "ALLUPPER1!", "NoDigits!!", "NoSymbol123", "Spaced 0ut", "Émigré1!", "😀😀😀😀😀😀A1a!", "ab1!ab1!ab1!"];

describe.each<[string, PasswordPolicy | undefined]>([
  ["Cognito's defaults", undefined],
  ["a policy of 12 characters without symbols or capitals", { minLength: 12, requireSymbols: false, requireUppercase: false }],
])("the sign-up form's password rules under %s", (_name, policy) => {
  it("are met by exactly the passwords the pool accepts", async () => {
    const emulator = await startEmulator({ auth: { ...auth, ...(policy && { passwordPolicy: policy }) }, quiet: true });
    const client = createAuthClient({ ...emulator.config, ...auth }, { platform: { storage: createMemoryStorage() } });
    try {
      const rules = passwordRules(policy);
      for (const [index, password] of candidates.entries()) {
        const email = `rules${index}@example.com`;
        const accepted = await client.signUp({ username: email, password, attributes: { email } }).then(
          () => true,
          (error: unknown) => (isAuthError(error, "ERR_INVALID_PASSWORD") ? false : Promise.reject(error)),
        );
        expect({ password, met: rules.every((rule) => rule.met(password)) }).toEqual({ password, met: accepted });
      }
    } finally {
      client.dispose();
      await emulator.stop();
    }
  });

  it("name each requirement of the policy", () => {
    const labels = passwordRules(policy).map((rule) => rule.label);
    expect(labels[0]).toBe(`At least ${policy?.minLength ?? 8} characters`);
    expect(labels).toHaveLength(policy ? 3 : 5);
  });
});
