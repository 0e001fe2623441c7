// What the account tests share: the app's schema (every kind of attribute the account
// functions treat differently) and small helpers.
import { defineAuth } from "@cogkit/core";

/** A pool that signs in with email, with mutable, immutable and typed custom attributes. */
export const accountAuth = defineAuth({
  loginWith: { email: true },
  userAttributes: {
    email: { required: true, mutable: true },
    givenName: { mutable: true },
    familyName: { mutable: true },
    birthdate: { mutable: false },
    "custom:is_beta_user": { dataType: "Boolean", mutable: true },
    "custom:seats": { dataType: "Number", mutable: true },
    "custom:tenant": { dataType: "String", mutable: false },
  },
  multifactor: { mode: "OPTIONAL", sms: true, totp: true, email: true },
});

export const password = "Corr3ct-Horse!";
export const phone = "+15550100123";

let counter = 0;
/** A new address each call; `prefix` makes its masked form recognisable. */
export const newEmail = (prefix = "account") => `${prefix}${++counter}.${Date.now()}@example.com`;

/** A code of the same shape that is surely not `code`. */
export const wrong = (code: string) => (code === "000000" ? "111111" : "000000");
