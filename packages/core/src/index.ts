export { AuthError, isAuthError } from "./errors.js";
export type { AuthErrorCode, AuthErrorOptions } from "./errors.js";
export { defineAuth, validateConfig, standardAttributeNames } from "./config.js";
export type {
  AttributeDataType,
  AuthConfig,
  AuthDefinition,
  CustomAttributeDefinition,
  ExternalProviders,
  ExternalProviderSettings,
  LoginWith,
  MultifactorSettings,
  PasswordPolicy,
  PoolSettings,
  StandardAttributeDefinition,
  UserAttributes,
  UserAttributeSchema,
} from "./config.js";
