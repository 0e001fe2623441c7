/**
 * msw handlers that serve the emulator without a port.
 *
 * @module @cogkit/emulator/msw
 */
export * from "../../packages/emulator/src/msw.js";
