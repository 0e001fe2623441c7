/**
 * An offline, strict Cognito User Pool and Identity Pool: `startEmulator()`, `createEmulator()`.
 *
 * @module @cogkit/emulator
 */
export * from "../../packages/emulator/src/index.js";
