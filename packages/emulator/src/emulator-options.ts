import { standardAttributeNames } from "@cogkit/core";
import type { AuthDefinition, CustomAttributeDefinition, MultifactorSettings, PasswordPolicy, PoolSettings, StandardAttributeDefinition } from "@cogkit/core";
import type { OutboxMessage } from "./control/outbox.js";
import type { GroupRole, IdentityPoolOptions } from "./identity-pool/identity-pool-options.js";
import type { ServerLimits } from "./serve-fetch-handler.js";

/**
 * The explicit auth flows an app client can allow that the emulator implements.
 *
 * @example
 * await startEmulator({ authFlows: ["ALLOW_USER_SRP_AUTH"] }); // password auth refused
 */
export type ExplicitAuthFlow = "ALLOW_USER_SRP_AUTH" | "ALLOW_USER_PASSWORD_AUTH" | "ALLOW_REFRESH_TOKEN_AUTH" | "ALLOW_USER_AUTH";

/**
 * A way to sign in first with choice-based sign-in (`USER_AUTH`), as Cognito's
 * `SignInPolicy.AllowedFirstAuthFactors` names it. PASSWORD covers PASSWORD and PASSWORD_SRP.
 *
 * @example
 * await startEmulator({ allowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"] });
 */
export type FirstAuthFactor = "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/**
 * The pool's passkey settings (Cognito's `WebAuthnRelyingPartyID`, `WebAuthnUserVerification`),
 * plus the page origins the emulator accepts in passkey ceremonies (Cognito derives those
 * from the relying party and the pool's domains).
 *
 * @example
 * await startEmulator({ allowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"], webAuthn: { relyingPartyId: "localhost", userVerification: "required" } });
 */
export interface WebAuthnSettings {
  /** The relying party id passkeys are bound to. Default `localhost`. */
  relyingPartyId?: string;
  /**
   * Origins of the pages that may register and use passkeys, e.g. `["https://app.example.com"]`.
   * Default any `http(s)://localhost` or `http(s)://127.0.0.1` origin, on any port.
   */
  origins?: readonly string[];
  /** `required`: passkeys must verify the user (PIN, biometrics). Default `preferred`, as in Cognito. */
  userVerification?: "required" | "preferred";
}

/**
 * Lifetimes of the tokens the app client issues.
 *
 * @example
 * await startEmulator({ tokenValidity: { accessSeconds: 300 } });
 */
export interface TokenValidity {
  accessSeconds: number;
  idSeconds: number;
  refreshSeconds: number;
}

/**
 * Refresh-token rotation of the app client (GetTokensFromRefreshToken).
 *
 * @example
 * await startEmulator({ refreshTokenRotation: { enabled: true, gracePeriodSeconds: 10 } });
 */
export interface RefreshTokenRotation {
  enabled: boolean;
  /** How long a rotated-out refresh token keeps working, 0 to 60 seconds. Default 0. */
  gracePeriodSeconds?: number;
}

/**
 * A resource server (an API) whose scopes a machine client may ask for with the
 * client-credentials grant; its scopes are `<identifier>/<scope>` on the wire.
 *
 * @example
 * await startEmulator({ resourceServers: [{ identifier: "https://api.example.com", scopes: ["read", "write"] }] });
 */
export interface ResourceServer {
  /** Usually the API's URL, e.g. `https://api.example.com`. */
  identifier: string;
  /** Scope names without the identifier, e.g. `["read", "write"]`. */
  scopes: readonly string[];
}

/**
 * The pool's device tracking (Cognito's `DeviceConfiguration`). With it, every sign-in
 * without a known device answers `NewDeviceMetadata`; ConfirmDevice registers the device.
 *
 * @example
 * await startEmulator({ deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true } });
 */
export interface DeviceTracking {
  /** A remembered device signs in with device SRP instead of MFA; others still answer MFA. Default false. */
  challengeRequiredOnNewDevice?: boolean;
  /** ConfirmDevice leaves a device not remembered until UpdateDeviceStatus (the user's consent). Default false. */
  deviceOnlyRememberedOnUserPrompt?: boolean;
}

/**
 * How to boot an emulator. Every field is optional.
 *
 * @example
 * const options: EmulatorOptions = { auth, clientSecret: true, log: (line) => console.log(line) };
 */
export interface EmulatorOptions {
  /**
   * The app's auth definition (from `defineAuth`); a pool that signs in with email otherwise.
   * A whole client config (with `region`, `userPoolId`, `userPoolClientId`,
   * `identityPoolId`, `clientSecret`) also fixes those ids; endpoints in it are ignored.
   */
  auth?: AuthDefinition & Partial<PoolSettings>;
  /**
   * A JSON file that keeps users (passwords, attributes, MFA, groups), devices, identities,
   * refresh tokens, signing keys and the ids across restarts. Made at the first start;
   * written atomically shortly after each change and on `stop()`. A file that is corrupt or
   * of another version is an error naming it, never silently replaced.
   *
   * @example
   * await startEmulator({ state: ".cogkit/emulator-state.json", port: 9229 });
   */
  state?: string;
  /** A fixed user pool id, e.g. `us-east-1_Example1`, so app config stays valid across restarts. */
  userPoolId?: string;
  /** A fixed app client id (letters, digits, `_` and `+`). */
  userPoolClientId?: string;
  /** A fixed identity pool id, e.g. `us-east-1:8f1d1a0e-0000-4000-8000-000000000000`. */
  identityPoolId?: string;
  /** Port on 127.0.0.1; a free one when left out. */
  port?: number;
  /** Default `us-east-1`. */
  region?: string;
  tokenValidity?: Partial<TokenValidity>;
  refreshTokenRotation?: RefreshTokenRotation;
  /** Give the app client a secret (then SECRET_HASH is required): `true` for a new one, or the secret itself. Default false. */
  clientSecret?: boolean | string;
  /**
   * Allowed explicit auth flows. Default SRP, password, choice-based (`ALLOW_USER_AUTH`) and
   * refresh-token auth (no refresh-token auth with rotation).
   */
  authFlows?: readonly ExplicitAuthFlow[];
  /** Answer unknown users like wrong passwords, as new Cognito clients do. Default true. */
  preventUserExistenceErrors?: boolean;
  /**
   * The identity pool beside the user pool (`AWSCognitoIdentityService`); on by default,
   * `false` for none. Its id and guest access go into `config`.
   */
  identityPool?: IdentityPoolOptions | false;
  /** IAM roles of user pool groups (groups named here are created if the definition lacks them). */
  groupRoles?: Record<string, GroupRole>;
  /**
   * OAuth scopes the app client may ask for at `/oauth2/authorize`. Default all of
   * `openid`, `email`, `phone`, `profile`, `aws.cognito.signin.user.admin`.
   */
  oauthScopes?: readonly string[];
  /**
   * Resource servers; with any, the pool gets a second, confidential app client allowed only
   * the client-credentials grant, with every scope of every server (`emulator.machineClient`).
   */
  resourceServers?: readonly ResourceServer[];
  /**
   * Attributes whose new value waits for VerifyUserAttribute while the verified original
   * stays active (Cognito's `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate`,
   * "keep original attribute value active when an update is pending"). Default both
   * `email` and `phone_number`; `[]` changes them at once, unverified.
   */
  attributesRequireVerificationBeforeUpdate?: ReadonlyArray<"email" | "phone_number">;
  /** Device tracking; left out, the pool does not track devices (sign-ins get no `NewDeviceMetadata`). */
  deviceTracking?: DeviceTracking;
  /**
   * First factors of choice-based sign-in (`USER_AUTH`). Default `["PASSWORD"]`, as a new
   * Cognito pool. With EMAIL_OTP or SMS_OTP users may sign up without a password; MFA mode
   * REQUIRED allows none but PASSWORD, as Cognito.
   */
  allowedFirstAuthFactors?: readonly FirstAuthFactor[];
  /** Passkey settings, used when `allowedFirstAuthFactors` has WEB_AUTHN. */
  webAuthn?: WebAuthnSettings;
  /**
   * Origins of web pages that may call the emulator from the browser: they get CORS on the
   * Cognito APIs (`POST /`, `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, the keys
   * and OpenID configuration) and may use the `/_emulator/*` control routes. Left out, any
   * http(s) origin on `localhost`, `127.0.0.1` or `[::1]`, on any port (dev servers pick
   * ports); given, exactly these (e.g. `["https://app.example.com"]`). Other pages get no
   * CORS and a 403 from the control routes.
   */
  allowedOrigins?: readonly string[];
  /**
   * Host names `startEmulator`'s server answers besides `localhost`, `127.0.0.1` and `[::1]`
   * (any port), e.g. a name given to the emulator in Docker. Any other `Host` gets 403, so a
   * page cannot reach the emulator through a name it controls (DNS rebinding). Not checked
   * behind msw, where the test chose the URL.
   */
  allowedHosts?: readonly string[];
  /** Limits of `startEmulator`'s server: body size, time to send a request, connections. */
  limits?: ServerLimits;
  /** Suppress `log`. */
  quiet?: boolean;
  /**
   * Called with a line for every code the emulator "sends": the kind, the code and the masked
   * destination, never usernames, addresses, passwords or tokens (the message has the rest).
   */
  log?: (line: string, message: OutboxMessage) => void;
}

/** A declared attribute's settings, standard or custom. */
export type DeclaredAttribute = StandardAttributeDefinition & Partial<CustomAttributeDefinition>;

/** The emulator's user pool, resolved from the definition. */
export interface PoolModel {
  id: string;
  /** The part after `<region>_`, which SRP hashes in. */
  name: string;
  region: string;
  /** Set when the pool signs in with email/phone instead of usernames (usernames are then UUIDs). */
  usernameAttributes: Array<"email" | "phone_number">;
  /** Verified email/phone that also sign in, in pools with real usernames. */
  aliasAttributes: Array<"email" | "phone_number">;
  passwordPolicy: Required<PasswordPolicy>;
  /** Declared attribute settings by wire name (`given_name`, `custom:plan`). */
  attributes: Record<string, DeclaredAttribute | undefined>;
  groups: Set<string>;
  /** Roles of groups, for the ID token's `cognito:roles` and `cognito:preferred_role`. */
  groupRoles: Map<string, GroupRole>;
  /** The pool's MFA mode and allowed factors; OFF with none when the definition has none. */
  multifactor: Required<MultifactorSettings>;
  /** Attributes whose verified value stays active until a new one is verified. */
  verifyBeforeUpdate: Set<"email" | "phone_number">;
  /** Device tracking; undefined when the pool does not track devices. */
  deviceTracking: Required<DeviceTracking> | undefined;
  /** First factors of USER_AUTH sign-in (`SignInPolicy.AllowedFirstAuthFactors`). */
  allowedFirstAuthFactors: ReadonlySet<FirstAuthFactor>;
  /** Passkey settings; `origins` undefined means any localhost or 127.0.0.1 origin. */
  webAuthn: { relyingPartyId: string; origins: readonly string[] | undefined; userVerification: "required" | "preferred" };
}

/** The emulator's one app client. */
export interface ClientModel {
  id: string;
  secret: string | undefined;
  authFlows: Set<ExplicitAuthFlow>;
  preventUserExistenceErrors: boolean;
  tokenValidity: TokenValidity;
  rotation: { enabled: boolean; gracePeriodSeconds: number };
}

const supportedFlows: readonly ExplicitAuthFlow[] = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH"];
const defaultPolicy: Required<PasswordPolicy> = {
  minLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

/** Checks options and fills in defaults. Misuse is a TypeError, thrown at once. */
export function resolveClientModel(options: EmulatorOptions, id: string, secret: string | undefined): ClientModel {
  const rotationEnabled = options.refreshTokenRotation?.enabled ?? false;
  const grace = options.refreshTokenRotation?.gracePeriodSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > 60) throw new TypeError("refreshTokenRotation.gracePeriodSeconds must be a whole number from 0 to 60");
  const flows = options.authFlows ?? supportedFlows.filter((f) => !(rotationEnabled && f === "ALLOW_REFRESH_TOKEN_AUTH"));
  for (const flow of flows) {
    if (!supportedFlows.includes(flow)) throw new TypeError(`authFlows: ${String(flow)} is not supported by the emulator (supported: ${supportedFlows.join(", ")})`);
  }
  if (rotationEnabled && flows.includes("ALLOW_REFRESH_TOKEN_AUTH")) {
    // Cognito refuses this combination when the client is saved.
    throw new TypeError("authFlows: ALLOW_REFRESH_TOKEN_AUTH cannot be allowed with refresh token rotation");
  }
  const validity: TokenValidity = { accessSeconds: 3600, idSeconds: 3600, refreshSeconds: 30 * 24 * 3600, ...options.tokenValidity };
  for (const [key, value] of Object.entries(validity)) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`tokenValidity.${key} must be a positive whole number of seconds`);
  }
  return {
    id,
    secret,
    authFlows: new Set(flows),
    preventUserExistenceErrors: options.preventUserExistenceErrors ?? true,
    tokenValidity: validity,
    rotation: { enabled: rotationEnabled, gracePeriodSeconds: grace },
  };
}

/** Resolves the pool from a definition (already checked by `defineAuth`). */
export function resolvePoolModel(
  definition: AuthDefinition,
  region: string,
  id: string,
  groupRoles: Map<string, GroupRole> = new Map(),
  options: Pick<EmulatorOptions, "attributesRequireVerificationBeforeUpdate" | "deviceTracking" | "allowedFirstAuthFactors" | "webAuthn"> = {},
): PoolModel {
  const verifyBeforeUpdate = options.attributesRequireVerificationBeforeUpdate ?? ["email", "phone_number"];
  for (const name of verifyBeforeUpdate) {
    if (name !== "email" && name !== "phone_number") {
      throw new TypeError(`attributesRequireVerificationBeforeUpdate: ${String(name)} is not email or phone_number`);
    }
  }
  const login = definition.loginWith ?? { email: true };
  const contact: Array<"email" | "phone_number"> = [];
  if (login.email) contact.push("email");
  if (login.phone) contact.push("phone_number");
  const attributes: Record<string, DeclaredAttribute | undefined> = {};
  for (const [key, settings] of Object.entries(definition.userAttributes ?? {}) as Array<[string, DeclaredAttribute | undefined]>) {
    const wire = key.startsWith("custom:") ? key : (standardWireName(key) ?? key);
    attributes[wire] = settings;
  }
  const multifactor = resolveMultifactor(definition.multifactor);
  return {
    id,
    name: id.slice(id.indexOf("_") + 1),
    region,
    usernameAttributes: login.username ? [] : contact.length > 0 ? contact : ["email"],
    aliasAttributes: login.username ? contact : [],
    passwordPolicy: { ...defaultPolicy, ...definition.passwordPolicy },
    attributes,
    groups: new Set([...(definition.groups ?? []), ...groupRoles.keys()]),
    groupRoles,
    multifactor,
    verifyBeforeUpdate: new Set(verifyBeforeUpdate),
    deviceTracking: resolveDeviceTracking(options.deviceTracking),
    allowedFirstAuthFactors: resolveFirstAuthFactors(options.allowedFirstAuthFactors, multifactor.mode),
    webAuthn: resolveWebAuthn(options.webAuthn),
  };
}

const firstAuthFactors: readonly FirstAuthFactor[] = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];

function resolveFirstAuthFactors(factors: readonly FirstAuthFactor[] | undefined, mfaMode: string): ReadonlySet<FirstAuthFactor> {
  const list = factors ?? ["PASSWORD"];
  if (!Array.isArray(list) || list.length === 0) throw new TypeError("allowedFirstAuthFactors must be a non-empty list");
  for (const factor of list) {
    if (!firstAuthFactors.includes(factor)) throw new TypeError(`allowedFirstAuthFactors: ${String(factor)} is not one of ${firstAuthFactors.join(", ")}`);
  }
  // Cognito refuses passwordless first factors in a pool that requires MFA of everyone.
  if (mfaMode === "REQUIRED" && list.some((f) => f !== "PASSWORD")) {
    throw new TypeError("allowedFirstAuthFactors: only PASSWORD is allowed when multifactor mode is REQUIRED");
  }
  return new Set(list);
}

function resolveWebAuthn(settings: WebAuthnSettings | undefined): PoolModel["webAuthn"] {
  const relyingPartyId = settings?.relyingPartyId ?? "localhost";
  if (typeof relyingPartyId !== "string" || !/^[a-z0-9.-]{1,127}$/i.test(relyingPartyId)) {
    throw new TypeError("webAuthn.relyingPartyId must be a host name such as localhost or example.com");
  }
  const origins = settings?.origins;
  if (origins !== undefined) {
    if (!Array.isArray(origins) || origins.length === 0) throw new TypeError("webAuthn.origins must be a non-empty list of origins");
    for (const origin of origins) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || parsed.origin !== origin) throw new TypeError(`webAuthn.origins: ${JSON.stringify(origin)} is not an origin such as https://app.example.com`);
    }
  }
  const userVerification = settings?.userVerification ?? "preferred";
  if (userVerification !== "required" && userVerification !== "preferred") throw new TypeError("webAuthn.userVerification must be required or preferred");
  return { relyingPartyId, origins, userVerification };
}

function resolveDeviceTracking(settings: DeviceTracking | undefined): Required<DeviceTracking> | undefined {
  if (settings === undefined) return undefined;
  for (const key of ["challengeRequiredOnNewDevice", "deviceOnlyRememberedOnUserPrompt"] as const) {
    if (settings[key] !== undefined && typeof settings[key] !== "boolean") throw new TypeError(`deviceTracking.${key} must be a boolean`);
  }
  return {
    challengeRequiredOnNewDevice: settings.challengeRequiredOnNewDevice ?? false,
    deviceOnlyRememberedOnUserPrompt: settings.deviceOnlyRememberedOnUserPrompt ?? false,
  };
}

function resolveMultifactor(settings: MultifactorSettings | undefined): Required<MultifactorSettings> {
  if (!settings || settings.mode === "OFF") return { mode: "OFF", sms: false, totp: false, email: false };
  const resolved = { mode: settings.mode, sms: settings.sms ?? false, totp: settings.totp ?? false, email: settings.email ?? false };
  // Cognito refuses to save a pool whose MFA is on with no factor to use.
  if (!resolved.sms && !resolved.totp && !resolved.email) throw new TypeError(`multifactor: mode ${settings.mode} needs at least one of sms, totp or email`);
  return resolved;
}

function standardWireName(key: string): string | undefined {
  return (standardAttributeNames as Record<string, string>)[key];
}
