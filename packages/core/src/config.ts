import { AuthError } from "./errors.js";
import { isRecord } from "./is-record.js";

/** The data types a Cognito custom attribute can have. */
export type AttributeDataType = "String" | "Number" | "Boolean" | "DateTime";

/** A standard attribute's settings, as in the user pool schema. */
export interface StandardAttributeDefinition {
  mutable?: boolean;
  required?: boolean;
}

/** A `custom:*` attribute's settings. `dataType` decides its type in `user.attributes`. */
export interface CustomAttributeDefinition {
  dataType: AttributeDataType;
  mutable?: boolean;
  minLen?: number;
  maxLen?: number;
  min?: number;
  max?: number;
}

/**
 * Standard attribute keys, in the camelCase that app developers write, mapped to the
 * names Cognito uses on the wire and in tokens.
 */
export const standardAttributeNames = {
  address: "address",
  birthdate: "birthdate",
  email: "email",
  familyName: "family_name",
  gender: "gender",
  givenName: "given_name",
  locale: "locale",
  middleName: "middle_name",
  fullname: "name",
  nickname: "nickname",
  phoneNumber: "phone_number",
  profilePicture: "picture",
  preferredUsername: "preferred_username",
  profilePage: "profile",
  timezone: "zoneinfo",
  lastUpdateTime: "updated_at",
  website: "website",
} as const;

export type StandardAttributeKey = keyof typeof standardAttributeNames;
export type CustomAttributeKey = `custom:${string}`;

/** The `userAttributes` part of a definition. */
export type UserAttributeSchema = {
  [K in StandardAttributeKey]?: StandardAttributeDefinition;
} & {
  [K in CustomAttributeKey]?: CustomAttributeDefinition;
};

type CustomValue<T extends AttributeDataType> = T extends "Boolean" ? boolean : T extends "Number" ? number : string;

/**
 * The attributes of a signed-in user, typed from the schema: standard attributes by their
 * Cognito names (`given_name`), custom ones by `custom:*` with the type their `dataType` says.
 */
export type UserAttributes<S extends UserAttributeSchema = UserAttributeSchema> = {
  [K in (typeof standardAttributeNames)[StandardAttributeKey]]?: string;
} & {
  email_verified?: boolean;
  phone_number_verified?: boolean;
} & {
  [K in keyof S as K extends CustomAttributeKey ? K : never]?: S[K] extends CustomAttributeDefinition
    ? CustomValue<S[K]["dataType"]>
    : never;
} & Record<string, string | number | boolean | undefined>;

/** An external identity provider for the hosted UI and for identity-pool federation. */
export interface ExternalProviderSettings {
  clientId: string;
  /** Scopes to request; the provider's defaults otherwise. */
  scopes?: string[];
}

/** `loginWith.externalProviders`: social and OIDC providers plus the hosted UI URLs. */
export interface ExternalProviders {
  google?: ExternalProviderSettings;
  signInWithApple?: ExternalProviderSettings;
  loginWithAmazon?: ExternalProviderSettings;
  facebook?: ExternalProviderSettings;
  oidc?: Array<ExternalProviderSettings & { name: string; issuerUrl: string }>;
  /**
   * Hosted UI (managed login) domain: an http(s) URL such as
   * `https://example.auth.us-east-1.amazoncognito.com`, a custom domain, or the emulator's
   * `http://127.0.0.1:9229`; a bare host (`auth.example.com`) means https.
   */
  domain?: string;
  callbackUrls: string[];
  logoutUrls: string[];
}

/** How users identify themselves when they sign up and sign in. */
export interface LoginWith {
  email?: boolean;
  phone?: boolean;
  username?: boolean;
  externalProviders?: ExternalProviders;
}

/** The user pool's password policy; Cognito's defaults when left out. */
export interface PasswordPolicy {
  minLength?: number;
  requireLowercase?: boolean;
  requireUppercase?: boolean;
  requireNumbers?: boolean;
  requireSymbols?: boolean;
}

/** Multi-factor settings of the pool. */
export interface MultifactorSettings {
  mode: "OFF" | "OPTIONAL" | "REQUIRED";
  sms?: boolean;
  totp?: boolean;
  email?: boolean;
}

/**
 * What an app says about its auth, independent of where the pools live. The same value
 * boots the emulator and, joined with pool ids, configures a client.
 */
export interface AuthDefinition<S extends UserAttributeSchema = UserAttributeSchema> {
  loginWith?: LoginWith;
  groups?: readonly string[];
  userAttributes?: S;
  passwordPolicy?: PasswordPolicy;
  multifactor?: MultifactorSettings;
}

/** Where the pools are and how this app client talks to them. */
export interface PoolSettings {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** App client secret. Only for confidential clients (servers); never ship it to a browser. */
  clientSecret?: string;
  identityPoolId?: string;
  /** Whether to ask the identity pool for guest credentials when nobody is signed in. Default true. */
  allowGuestAccess?: boolean;
  /** Override of `https://cognito-idp.<region>.amazonaws.com/` (the emulator, a proxy). */
  userPoolEndpoint?: string;
  /** Override of `https://cognito-identity.<region>.amazonaws.com/`. */
  identityPoolEndpoint?: string;
}

/** A client's whole configuration: the definition joined with the pool settings. */
export type AuthConfig<S extends UserAttributeSchema = UserAttributeSchema> = AuthDefinition<S> & PoolSettings;

function invalid(field: string, problem: string): AuthError {
  return new AuthError("ERR_INVALID_CONFIG", `Invalid auth config: \`${field}\` ${problem}.`);
}


const dataTypes: readonly string[] = ["String", "Number", "Boolean", "DateTime"];
const customName = /^custom:[\w]{1,20}$/;

function validateDefinition(definition: unknown): void {
  if (!isRecord(definition)) throw invalid("(root)", "must be an object");
  const { loginWith, groups, userAttributes, passwordPolicy } = definition;
  if (loginWith !== undefined) {
    if (!isRecord(loginWith)) throw invalid("loginWith", "must be an object");
    for (const key of ["email", "phone", "username"] as const) {
      if (loginWith[key] !== undefined && typeof loginWith[key] !== "boolean") {
        throw invalid(`loginWith.${key}`, "must be a boolean");
      }
    }
    const external = loginWith.externalProviders;
    if (external !== undefined) {
      if (!isRecord(external)) throw invalid("loginWith.externalProviders", "must be an object");
      for (const key of ["callbackUrls", "logoutUrls"] as const) {
        const urls = external[key];
        if (!Array.isArray(urls) || urls.some((url) => !isUrl(url))) {
          throw invalid(`loginWith.externalProviders.${key}`, "must be an array of absolute URLs");
        }
      }
      // The hosted UI's address: any http(s) URL (the emulator's is http) or a bare host, meaning
      // https. The hosted-UI functions check it fully when used; importing their check here
      // would tie the two entries' code together (see hosted-ui.ts).
      if (external.domain !== undefined && !(isHttpUrl(external.domain) || /^[a-z\d.-]+(:\d+)?$/i.test(String(external.domain)))) {
        throw invalid("loginWith.externalProviders.domain", "must be an http(s) URL or a host name");
      }
      for (const key of ["google", "signInWithApple", "loginWithAmazon", "facebook"] as const) {
        const provider = external[key];
        if (provider !== undefined && (!isRecord(provider) || !nonEmptyString(provider.clientId))) {
          throw invalid(`loginWith.externalProviders.${key}.clientId`, "must be a non-empty string");
        }
      }
    }
  }
  if (groups !== undefined) {
    if (!Array.isArray(groups)) throw invalid("groups", "must be an array of group names");
    groups.forEach((group, index) => {
      if (!nonEmptyString(group) || group.length > 128) throw invalid(`groups[${index}]`, "must be a name of 1 to 128 characters");
    });
    if (new Set(groups).size !== groups.length) throw invalid("groups", "must not repeat a name");
  }
  if (userAttributes !== undefined) {
    if (!isRecord(userAttributes)) throw invalid("userAttributes", "must be an object");
    for (const [name, settings] of Object.entries(userAttributes)) {
      const field = `userAttributes["${name}"]`;
      if (!isRecord(settings)) throw invalid(field, "must be an object");
      if (name.startsWith("custom:")) {
        if (!customName.test(name)) throw invalid(field, "must be named custom: followed by 1 to 20 letters, digits or _");
        if (typeof settings.dataType !== "string" || !dataTypes.includes(settings.dataType)) {
          throw invalid(`${field}.dataType`, `must be one of ${dataTypes.join(", ")}`);
        }
      } else if (!(name in standardAttributeNames)) {
        throw invalid(field, "is neither a standard attribute nor named custom:*");
      }
      for (const flag of ["mutable", "required"] as const) {
        if (settings[flag] !== undefined && typeof settings[flag] !== "boolean") throw invalid(`${field}.${flag}`, "must be a boolean");
      }
    }
  }
  if (passwordPolicy !== undefined) {
    if (!isRecord(passwordPolicy)) throw invalid("passwordPolicy", "must be an object");
    const { minLength } = passwordPolicy;
    if (minLength !== undefined && (!Number.isInteger(minLength) || (minLength as number) < 6 || (minLength as number) > 99)) {
      throw invalid("passwordPolicy.minLength", "must be a whole number from 6 to 99");
    }
  }
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function isUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  // Callback URLs may use an app's own scheme (myapp://callback), so any absolute URL passes.
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const clientIdPattern = /^[\w+]{1,128}$/;
const identityPoolPattern = /^[\w-]+:[0-9a-f-]+$/;

/**
 * Declares an app's auth: how users sign in, its groups and its attribute schema. Checks
 * it at once, and keeps its literal types so `custom:*` attributes are typed everywhere.
 *
 * @example
 * export const auth = defineAuth({
 *   loginWith: { email: true },
 *   groups: ["ADMINS"],
 *   userAttributes: { "custom:is_beta_user": { dataType: "Boolean", mutable: true } },
 * });
 */
export function defineAuth<const S extends UserAttributeSchema = {}>(definition: AuthDefinition<S>): AuthDefinition<S> {
  validateDefinition(definition);
  return definition;
}

/**
 * Checks a whole client config and throws `AuthError` `ERR_INVALID_CONFIG` naming the first
 * field that is wrong. Returns the same object.
 *
 * @example
 * const config = validateConfig({ ...auth, region: "eu-west-1", userPoolId, userPoolClientId });
 */
export function validateConfig<S extends UserAttributeSchema>(config: AuthConfig<S>): AuthConfig<S> {
  validateDefinition(config);
  return validatePoolSettings(config);
}

/**
 * Checks only the {@link PoolSettings} part of a config (region, pool and client ids,
 * secret, endpoints): what `createAuthClient` checks, since `defineAuth` has already
 * checked the definition and a browser bundle should not pay for checking it twice.
 * Throws `ERR_INVALID_CONFIG` naming the first wrong field.
 *
 * @example
 * validatePoolSettings({ region: "eu-west-1", userPoolId: "eu-west-1_abc", userPoolClientId: "1example" });
 */
export function validatePoolSettings<C extends PoolSettings>(config: C): C {
  if (!isRecord(config)) throw invalid("(root)", "must be an object");
  poolSettingChecks.forEach(([field, check, problem], row) => {
    const value = config[field];
    // The first three rows are the required settings; the others are checked only when given.
    if ((row < 3 || value !== undefined) && !check(value, config)) throw invalid(field, problem);
  });
  return config;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isHttpUrl = (value: unknown) => isString(value) && /^https?:\/\//.test(value) && isUrl(value);

// One row per pool setting: its check, and what the error says it must be. A table rather
// than one `if` per field, because it ships in every browser bundle.
const poolSettingChecks: Array<[keyof PoolSettings, (value: unknown, config: PoolSettings) => boolean, string]> = [
  ["region", (value) => isString(value) && regionPattern.test(value), "must be an AWS region such as us-east-1"],
  ["userPoolId", (value) => isString(value) && value.includes("_"), "must be a user pool id <region>_<id>"],
  ["userPoolClientId", (value) => isString(value) && clientIdPattern.test(value), "must be an app client id"],
  // Checked once the three above pass: a pool id of another region is said to be one, not called malformed.
  ["userPoolId", (value, { region }) => (value as string).startsWith(`${region}_`), "is not in `region`"],
  ["clientSecret", nonEmptyString, "must be a non-empty string"],
  ["identityPoolId", (value) => isString(value) && identityPoolPattern.test(value), "must be an identity pool id <region>:<uuid>"],
  ["allowGuestAccess", (value) => typeof value === "boolean", "must be a boolean"],
  ["userPoolEndpoint", isHttpUrl, "must be an http(s) URL"],
  ["identityPoolEndpoint", isHttpUrl, "must be an http(s) URL"],
];
