/**
 * React bindings: `<AuthProvider>`, `useUser`, `useAuth`, `useCredentials`, `useAuthSelector`.
 *
 * @module @cogkit/react
 */
export * from "../../packages/react/src/index.js";
