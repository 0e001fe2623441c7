/**
 * Sign-in through the user pool's hosted UI (managed login): `signInWithRedirect`, `completeSignIn`, `signInWithPopup`, `signOut`.
 *
 * @module @cogkit/core/hosted-ui
 */
export * from "../../packages/core/src/hosted-ui.js";
