import type { AuthDefinition, LoginWith, MultifactorSettings, PasswordPolicy, PoolSettings } from "@cogkit/core";
import type { DeviceTracking, EmulatorOptions, RefreshTokenRotation, TokenValidity, WebAuthnSettings } from "./emulator-options.js";
import type { IdentityPoolOptions } from "./identity-pool/identity-pool-options.js";
import type { ServerLimits } from "./serve-fetch-handler.js";

/**
 * What a setting must be: a JSON type (a union as an array), the settings of an object, the
 * same settings under any key (`{ "*": shape }`), one of some values, or anything (checked
 * where it is used, with its own message).
 */
type Shape = Kind | ReadonlyArray<Kind | Fields> | Fields | { "*": Shape } | { oneOf: readonly unknown[] };
type Kind = "boolean" | "string" | "number" | "array" | "function" | "false" | "any";
type Fields = { [key: string]: Shape };

// `satisfies Record<keyof T, Shape>` makes a setting added to a type without a line here a
// compile error, so the check never refuses a real option.
const tokenValidity = { accessSeconds: "number", idSeconds: "number", refreshSeconds: "number" } satisfies Record<keyof TokenValidity, Shape>;
const rotation = { enabled: "boolean", gracePeriodSeconds: "number" } satisfies Record<keyof RefreshTokenRotation, Shape>;
const deviceTracking = { challengeRequiredOnNewDevice: "boolean", deviceOnlyRememberedOnUserPrompt: "boolean" } satisfies Record<keyof DeviceTracking, Shape>;
const limits = { maxBodyBytes: "number", headersTimeoutMs: "number", requestTimeoutMs: "number", maxConnections: "number" } satisfies Record<keyof ServerLimits, Shape>;
const webAuthn = { relyingPartyId: "string", origins: "array", userVerification: { oneOf: ["required", "preferred"] } } satisfies Record<keyof WebAuthnSettings, Shape>;
const identityPool = {
  allowUnauthenticated: "boolean",
  roles: { authenticated: "string", unauthenticated: "string" },
  roleMappings: { "*": { type: "string", ambiguousRoleResolution: "string" } },
} satisfies Record<keyof IdentityPoolOptions, Shape>;

const loginWith = { email: "boolean", phone: "boolean", username: "boolean", externalProviders: "any" } satisfies Record<keyof LoginWith, Shape>;
const passwordPolicy = {
  minLength: "number",
  requireLowercase: "boolean",
  requireUppercase: "boolean",
  requireNumbers: "boolean",
  requireSymbols: "boolean",
} satisfies Record<keyof PasswordPolicy, Shape>;
const multifactor = { mode: { oneOf: ["OFF", "OPTIONAL", "REQUIRED"] }, sms: "boolean", totp: "boolean", email: "boolean" } satisfies Record<keyof MultifactorSettings, Shape>;
const auth = {
  loginWith,
  groups: "array",
  // Each attribute's own settings are checked by defineAuth and the schema.
  userAttributes: { "*": "any" },
  passwordPolicy,
  multifactor,
  region: "string",
  userPoolId: "string",
  userPoolClientId: "string",
  clientSecret: "string",
  identityPoolId: "string",
  // A whole client config may be given; its endpoints and guest flag are the emulator's own.
  allowGuestAccess: "boolean",
  userPoolEndpoint: "string",
  identityPoolEndpoint: "string",
} satisfies Record<keyof AuthDefinition | keyof PoolSettings, Shape>;

const options = {
  auth,
  state: "string",
  userPoolId: "string",
  userPoolClientId: "string",
  identityPoolId: "string",
  port: "number",
  region: "string",
  tokenValidity,
  refreshTokenRotation: rotation,
  clientSecret: ["boolean", "string"],
  authFlows: "array",
  preventUserExistenceErrors: "boolean",
  identityPool: ["false", identityPool],
  groupRoles: { "*": { roleArn: "string", precedence: "number" } },
  oauthScopes: "array",
  resourceServers: "array",
  attributesRequireVerificationBeforeUpdate: "array",
  deviceTracking,
  allowedFirstAuthFactors: "array",
  webAuthn,
  allowedOrigins: "array",
  allowedHosts: "array",
  limits,
  quiet: "boolean",
  log: "function",
} satisfies Record<keyof EmulatorOptions, Shape>;

/** The name of every option `startEmulator` takes (the README's table is checked against it). */
export const emulatorOptionNames: readonly string[] = Object.keys(options);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function kindOf(value: unknown): Kind {
  if (value === false) return "false";
  if (Array.isArray(value)) return "array";
  return typeof value as Kind;
}

function fits(value: unknown, shape: Shape, field: string): boolean {
  if (typeof shape === "string") return shape === "any" || kindOf(value) === shape || (shape === "boolean" && typeof value === "boolean");
  if (Array.isArray(shape)) return shape.some((one: Kind | Fields) => (typeof one === "string" ? fits(value, one, field) : isObject(value) && (check(value, one, field), true)));
  if ("oneOf" in shape && Array.isArray(shape.oneOf)) return shape.oneOf.includes(value);
  if (!isObject(value)) return false;
  check(value, shape as Fields | { "*": Shape }, field);
  return true;
}

function describe(shape: Shape): string {
  if (typeof shape === "string") return shape === "array" ? "a list" : shape === "function" ? "a function" : shape === "number" ? "a number" : `a ${shape}`;
  if (Array.isArray(shape)) return shape.map((one: Kind | Fields) => (typeof one !== "string" ? "an object" : one === "false" ? "false" : describe(one))).join(" or ");
  if ("oneOf" in shape && Array.isArray(shape.oneOf)) return `one of ${shape.oneOf.map((v) => JSON.stringify(v)).join(", ")}`;
  return "an object";
}

function check(value: Record<string, unknown>, shape: Fields | { "*": Shape }, path: string): void {
  const any = (shape as { "*"?: Shape })["*"];
  for (const [key, field] of Object.entries(value)) {
    const name = path === "" ? key : any !== undefined ? `${path}[${JSON.stringify(key)}]` : `${path}.${key}`;
    if (field === undefined) continue;
    const expected = any ?? (Object.hasOwn(shape, key) ? (shape as Fields)[key] : undefined);
    if (expected === undefined) {
      throw new TypeError(`${name} is not a known setting (known${path === "" ? " options" : ` in ${path}`}: ${Object.keys(shape).join(", ")})`);
    }
    if (!fits(field, expected, name)) throw new TypeError(`${name} must be ${describe(expected)}, got ${JSON.stringify(field) ?? typeof field}`);
  }
}

/**
 * Checks the emulator's options before anything starts: an unknown setting (a typo such as
 * `loginWith.emial`) or one of the wrong type is a TypeError naming it, rather than a
 * setting silently ignored. Values are checked further where they are used (ranges, ids,
 * ARNs), with their own messages.
 *
 * @example
 * checkEmulatorOptions({ auth: { loginWith: { emial: true } } }); // TypeError: auth.loginWith.emial is not a known setting …
 */
export function checkEmulatorOptions(value: unknown): asserts value is EmulatorOptions {
  if (!isObject(value)) throw new TypeError(`the emulator's options must be an object, got ${JSON.stringify(value) ?? typeof value}`);
  check(value, options, "");
}
