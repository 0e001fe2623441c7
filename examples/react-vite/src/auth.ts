import { defineAuth } from "@cogkit/core";

/** The app's auth definition: the emulator boots from it and the client types attributes by it. */
export const auth = defineAuth({
  loginWith: {
    email: true,
    // Social sign-in through the user pool's hosted UI. The emulator plays Google and Apple
    // (a page to choose who you are); against AWS these are your providers' client ids.
    // The callback and sign-out URLs are the dev server's; the runtime config replaces them
    // with those of wherever the app is served (see runtime-config.ts).
    externalProviders: {
      google: { clientId: "cogkit-example.apps.googleusercontent.com" },
      signInWithApple: { clientId: "com.example.cogkit" },
      callbackUrls: ["http://127.0.0.1:5173/"],
      logoutUrls: ["http://127.0.0.1:5173/"],
    },
  },
  groups: ["admins", "beta-testers"],
  userAttributes: {
    email: { required: true },
    givenName: {},
    "custom:is_beta_user": { dataType: "Boolean", mutable: true },
  },
});

/**
 * What the example's emulator enables beyond the definition, as a Cognito pool's sign-in
 * policy would: choice-based sign-in with the password, emailed codes and passkeys (relying
 * party `localhost`: open the app on http://localhost, not 127.0.0.1, to use passkeys).
 */
export const signInPolicy = { allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] } as const;
