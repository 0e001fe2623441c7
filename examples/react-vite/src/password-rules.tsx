import type { PasswordPolicy } from "@cogkit/core";
import { auth } from "./auth.js";

// Cognito's defaults, which the emulator applies too where auth.ts sets no policy.
const cognitoDefaults: Required<PasswordPolicy> = { minLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };
// The characters Cognito counts as symbols.
const symbols = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

/** The pool's password rules, each with a test of a typed password. */
export function passwordRules(policy: PasswordPolicy = auth.passwordPolicy ?? {}): { label: string; met: (password: string) => boolean }[] {
  const { minLength, requireLowercase, requireUppercase, requireNumbers, requireSymbols } = { ...cognitoDefaults, ...policy };
  return [
    { label: `At least ${minLength} characters`, met: (p: string) => [...p].length >= minLength },
    requireLowercase && { label: "A lowercase letter", met: (p: string) => /[a-z]/.test(p) },
    requireUppercase && { label: "An uppercase letter", met: (p: string) => /[A-Z]/.test(p) },
    requireNumbers && { label: "A number", met: (p: string) => /[0-9]/.test(p) },
    requireSymbols && { label: "A symbol, such as ! or -", met: (p: string) => [...p].some((c) => symbols.has(c)) },
  ].filter((rule) => rule !== false);
}

const rules = passwordRules();

/** Whether the password meets every rule of the pool. */
export const meetsPasswordRules = (password: string) => rules.every((rule) => rule.met(password));

/** The pool's password rules, each marked as met or not by what is typed so far. */
export function PasswordRules({ id, password }: { id: string; password: string }) {
  return (
    <ul id={id} className="rules">
      {rules.map((rule) => {
        const met = rule.met(password);
        return (
          <li key={rule.label} className={met ? "met" : undefined} data-testid="password-rule" data-met={met}>
            <span aria-hidden="true">{met ? "✓" : "○"}</span> {rule.label}
            <span className="visually-hidden">{met ? " (met)" : " (not yet)"}</span>
          </li>
        );
      })}
    </ul>
  );
}
