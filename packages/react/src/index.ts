export { AuthProvider } from "./auth-provider.js";
export type { AuthProviderProps } from "./auth-provider.js";
export { useAuthSelector } from "./use-auth-selector.js";
export { useAuth, useUser } from "./use-user.js";
export { useCredentials } from "./use-credentials.js";
export type { CredentialsState } from "./use-credentials.js";
export type { Register, RegisteredClient, SchemaOf } from "./register.js";
export type { HostedUiActions } from "./hosted-ui-actions.js";
