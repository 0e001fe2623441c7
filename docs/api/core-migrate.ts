/**
 * Moving from Amplify v6 or amazon-cognito-identity-js without signing users out: `adoptAmplifySession`.
 *
 * @module @cogkit/core/migrate
 */
export * from "../../packages/core/src/migrate.js";
