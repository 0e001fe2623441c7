import type { PoolSettings } from "@cogkit/core";
import type { EmulatorOptions } from "../emulator-options.js";
import { createClientId, createClientSecret, createUserPoolId, createUuid } from "../ids.js";

/**
 * The ids an app's config holds (`COGKIT_USER_POOL_ID`, `COGKIT_CLIENT_ID`,
 * `COGKIT_IDENTITY_POOL_ID`...): made at the first start, kept by a state file, or fixed by
 * the options or the `auth` config.
 */
export interface EmulatorIds {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  clientSecret?: string;
  /** Undefined when the options turn the identity pool off. */
  identityPoolId?: string;
  /** The machine client of `resourceServers`. */
  machineClient?: { clientId: string; clientSecret: string };
}

const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const userPoolIdPattern = /^([\w-]+)_[0-9a-zA-Z]+$/;
const clientIdPattern = /^[\w+]{1,128}$/;
const clientSecretPattern = /^[\w+=/-]{1,128}$/;
const identityPoolIdPattern = /^([\w-]+):[0-9a-f-]+$/;

function checked(field: string, value: unknown, pattern: RegExp, example: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !pattern.test(value) || value.length > 128) {
    throw new TypeError(`${field} must be ${example}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Chooses the emulator's ids: those asked for (an option, else the same field of an `auth`
 * that is a whole client config), else those a state file kept, else new ones. An id asked
 * for that differs from the state file's is an Error: the file's users belong to its pool.
 *
 * @example
 * const ids = resolveIds({ userPoolId: "eu-west-1_Example1" }, undefined, undefined);
 */
export function resolveIds(options: EmulatorOptions, saved: EmulatorIds | undefined, stateFile: string | undefined): EmulatorIds {
  const config = (options.auth ?? {}) as Partial<PoolSettings>;
  const field = (name: keyof PoolSettings & keyof EmulatorOptions) => (options[name] !== undefined ? name : `auth.${name}`);
  const askedRegion = checked(field("region"), options.region ?? config.region, regionPattern, "an AWS region such as us-east-1");
  const askedPool = checked(field("userPoolId"), options.userPoolId ?? config.userPoolId, userPoolIdPattern, "a user pool id such as us-east-1_Example1");
  const askedClient = checked(field("userPoolClientId"), options.userPoolClientId ?? config.userPoolClientId, clientIdPattern, "an app client id of letters, digits, _ and +");
  const askedIdentityPool = checked(
    field("identityPoolId"),
    options.identityPoolId ?? config.identityPoolId,
    identityPoolIdPattern,
    "an identity pool id such as us-east-1:8f1d1a0e-0000-4000-8000-000000000000",
  );
  const secretOption = options.clientSecret;
  if (secretOption !== undefined && typeof secretOption !== "boolean") checked("clientSecret", secretOption, clientSecretPattern, "true, false or a secret of letters, digits and +=/_-");
  const askedSecret = typeof secretOption === "string" ? secretOption : secretOption === undefined ? checked("auth.clientSecret", config.clientSecret, clientSecretPattern, "a secret of letters, digits and +=/_-") : undefined;

  const region = askedRegion ?? (askedPool ? userPoolIdPattern.exec(askedPool)![1]! : undefined) ?? (askedIdentityPool ? identityPoolIdPattern.exec(askedIdentityPool)![1]! : undefined) ?? saved?.region ?? "us-east-1";
  if (askedPool && !askedPool.startsWith(`${region}_`)) throw new TypeError(`userPoolId ${askedPool} is not in the region ${region}`);
  if (askedIdentityPool && !askedIdentityPool.startsWith(`${region}:`)) throw new TypeError(`identityPoolId ${askedIdentityPool} is not in the region ${region}`);

  const kept = <T extends string | undefined>(name: string, asked: T, inFile: string | undefined): T | string | undefined => {
    if (asked !== undefined && inFile !== undefined && asked !== inFile) {
      throw new Error(`cogkit-emulator state file ${stateFile} holds ${name} ${inFile}, but ${asked} was asked for; use another state file for another pool`);
    }
    return asked ?? inFile;
  };
  if (saved && saved.region !== region) {
    throw new Error(`cogkit-emulator state file ${stateFile} holds pools in ${saved.region}, but the region asked for is ${region}; use another state file for another region`);
  }
  const identityPoolId = options.identityPool === false ? undefined : (kept("identity pool", askedIdentityPool, saved?.identityPoolId) ?? `${region}:${createUuid()}`);
  const wantsSecret = secretOption === true || askedSecret !== undefined;
  const clientSecret = wantsSecret ? (askedSecret ?? saved?.clientSecret ?? createClientSecret()) : undefined;
  const machineClient = options.resourceServers && options.resourceServers.length > 0 ? (saved?.machineClient ?? { clientId: createClientId(), clientSecret: createClientSecret() }) : undefined;
  return {
    region,
    userPoolId: kept("user pool", askedPool, saved?.userPoolId) ?? createUserPoolId(region),
    userPoolClientId: kept("app client", askedClient, saved?.userPoolClientId) ?? createClientId(),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(identityPoolId !== undefined ? { identityPoolId } : {}),
    ...(machineClient ? { machineClient } : {}),
  };
}
