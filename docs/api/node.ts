/**
 * Node: `getCredentials()`, `cognitoCredentials()`, `getAccessToken()`, `verifyToken`, file storage and the Node platform.
 *
 * @module @cogkit/node
 */
export * from "../../packages/node/src/index.js";
