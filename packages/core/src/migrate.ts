/**
 * `@cogkit/core/migrate`: moving an app from Amplify v6 or amazon-cognito-identity-js without
 * signing its users out. An entry of its own: it verifies tokens with jose, which neither the
 * sign-in page nor a Node program loading `@cogkit/core` should load for nothing.
 *
 * @example
 * import { adoptAmplifySession } from "@cogkit/core/migrate";
 * const client = createAuthClient(config);
 * await adoptAmplifySession(client); // { adopted: true, ... } once, then { adopted: false, ... }
 *
 * @module
 */
export { adoptAmplifySession } from "./migrate/adopt-amplify-session.js";
export type { AdoptAmplifySessionOptions, AdoptAmplifySessionResult } from "./migrate/adopt-amplify-session.js";
