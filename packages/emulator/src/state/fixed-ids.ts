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
  const asked = askedIds(options);
  const region = asked.region ?? regionOf(asked.userPoolId, "_") ?? regionOf(asked.identityPoolId, ":") ?? saved?.region ?? "us-east-1";
  if (asked.userPoolId && !asked.userPoolId.startsWith(`${region}_`)) throw new TypeError(`userPoolId ${asked.userPoolId} is not in the region ${region}`);
  if (asked.identityPoolId && !asked.identityPoolId.startsWith(`${region}:`)) throw new TypeError(`identityPoolId ${asked.identityPoolId} is not in the region ${region}`);
  if (saved && saved.region !== region) {
    throw new Error(`cogkit-emulator state file ${stateFile} holds pools in ${saved.region}, but the region asked for is ${region}; use another state file for another region`);
  }
  // An id asked for wins over none in the file; one that contradicts the file is refused.
  const kept = (name: string, wanted: string | undefined, inFile: string | undefined): string | undefined => {
    if (wanted !== undefined && inFile !== undefined && wanted !== inFile) {
      throw new Error(`cogkit-emulator state file ${stateFile} holds ${name} ${inFile}, but ${wanted} was asked for; use another state file for another pool`);
    }
    return wanted ?? inFile;
  };
  const identityPoolId = options.identityPool === false ? undefined : (kept("identity pool", asked.identityPoolId, saved?.identityPoolId) ?? `${region}:${createUuid()}`);
  const clientSecret = options.clientSecret === true || asked.clientSecret !== undefined ? (asked.clientSecret ?? saved?.clientSecret ?? createClientSecret()) : undefined;
  const machineClient = options.resourceServers?.length ? (saved?.machineClient ?? { clientId: createClientId(), clientSecret: createClientSecret() }) : undefined;
  return {
    region,
    userPoolId: kept("user pool", asked.userPoolId, saved?.userPoolId) ?? createUserPoolId(region),
    userPoolClientId: kept("app client", asked.userPoolClientId, saved?.userPoolClientId) ?? createClientId(),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(identityPoolId !== undefined ? { identityPoolId } : {}),
    ...(machineClient ? { machineClient } : {}),
  };
}

const regionOf = (id: string | undefined, separator: string) => (id === undefined ? undefined : id.slice(0, id.indexOf(separator)));

/** The ids the options ask for (an option, else the same field of `auth`), each checked. */
function askedIds(options: EmulatorOptions): Partial<Omit<EmulatorIds, "machineClient">> {
  const config = (options.auth ?? {}) as Partial<PoolSettings>;
  const pick = (name: "region" | "userPoolId" | "userPoolClientId" | "identityPoolId", pattern: RegExp, example: string) =>
    options[name] !== undefined ? checked(name, options[name], pattern, example) : checked(`auth.${name}`, config[name], pattern, example);
  const secret = options.clientSecret;
  return {
    region: pick("region", regionPattern, "an AWS region such as us-east-1"),
    userPoolId: pick("userPoolId", userPoolIdPattern, "a user pool id such as us-east-1_Example1"),
    userPoolClientId: pick("userPoolClientId", clientIdPattern, "an app client id of letters, digits, _ and +"),
    identityPoolId: pick("identityPoolId", identityPoolIdPattern, "an identity pool id such as us-east-1:8f1d1a0e-0000-4000-8000-000000000000"),
    // `clientSecret: false` turns a secret off even when the config holds one.
    clientSecret:
      typeof secret === "string"
        ? checked("clientSecret", secret, clientSecretPattern, "true, false or a secret of letters, digits and +=/_-")
        : secret === undefined
          ? checked("auth.clientSecret", config.clientSecret, clientSecretPattern, "a secret of letters, digits and +=/_-")
          : undefined,
  };
}
