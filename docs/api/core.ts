/**
 * Amazon Cognito for browsers, Node and React Native: `defineAuth`, `createAuthClient`, `getCredentials(client)`, the account and password functions, storages and `AuthError`.
 *
 * @module @cogkit/core
 */
export * from "../../packages/core/src/index.js";
