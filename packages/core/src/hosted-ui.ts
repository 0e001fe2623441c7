/**
 * `@cogkit/core/hosted-ui`: sign-in through the user pool's hosted UI (managed login) —
 * Google, Apple, Facebook, Amazon, any OIDC or SAML provider, or Cognito's own login page —
 * with the authorization code flow and PKCE. An entry of its own, so that apps which sign in
 * with passwords only never ship a byte of it, and `@cogkit/react` can load it on first use.
 * Every function takes a client made by `createAuthClient` of `@cogkit/core`.
 *
 * @example
 * import { createAuthClient, createWebStorage } from "@cogkit/core";
 * import { completeSignIn, signInWithRedirect } from "@cogkit/core/hosted-ui";
 * const client = createAuthClient(config, { platform: { storage: createWebStorage("local") } });
 * await completeSignIn(client); // on every page load: a no-op unless back from the hosted UI
 * googleButton.onclick = () => signInWithRedirect(client, { provider: "Google" });
 *
 * @module
 */
export { signInWithRedirect } from "./oauth/sign-in-with-redirect.js";
export type { HostedUiProvider, SignInWithRedirectOptions } from "./oauth/authorize-request.js";
export { completeSignIn } from "./oauth/complete-sign-in.js";
export type { CompleteSignInOptions, CompleteSignInResult } from "./oauth/complete-sign-in.js";
export { signInWithPopup } from "./oauth/sign-in-with-popup.js";
export type { PopupWindow, SignInWithPopupOptions } from "./oauth/sign-in-with-popup.js";
export { signOut } from "./oauth/sign-out.js";
export type { HostedUiSignOutOptions } from "./oauth/sign-out.js";
