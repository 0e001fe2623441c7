import { defineAuth } from "@cogkit/core";

/** The app's auth definition: the emulator boots from it and the client types attributes by it. */
export const auth = defineAuth({
  loginWith: { email: true },
  groups: ["admins", "beta-testers"],
  userAttributes: {
    email: { required: true },
    "custom:is_beta_user": { dataType: "Boolean", mutable: true },
  },
});
