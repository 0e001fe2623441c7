import { defineAuth } from "@cogkit/core";

/** The app's auth definition: the emulator boots from it and the clients type attributes by it. */
export const auth = defineAuth({
  loginWith: { email: true },
  userAttributes: { email: { required: true }, givenName: {} },
});
