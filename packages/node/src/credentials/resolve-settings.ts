import { join } from "node:path";
import type { PoolSettings } from "@cogkit/core";
import { readPrivateFile } from "../storage/assert-private.js";
import { cogkitConfigDir } from "../storage/config-dir.js";

/** Where {@link resolveSettings} looks, beyond what the caller passes. */
export interface SettingsSources {
  /** Pool settings; each field given here wins over the environment and the config file. */
  config?: Partial<PoolSettings>;
  /** Who to sign in as when there is no stored session (`COGKIT_USERNAME`). */
  username?: string;
  /** Their password (`COGKIT_PASSWORD`). */
  password?: string;
  /** The profile: which session file, and which section of the config file. `COGKIT_PROFILE`, else `default`. */
  profile?: string;
  /** cogkit's directory (session files, locks, `config.json`); `$XDG_CONFIG_HOME/cogkit` by default. */
  dir?: string;
  /** The config file; `COGKIT_CONFIG_FILE`, else `<dir>/config.json`. */
  configFile?: string;
  /** The environment to read; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /**
   * The user pool's OAuth 2.0 (hosted UI) domain, for `getAccessToken` and
   * `cogkit login --browser`: `https://<prefix>.auth.<region>.amazoncognito.com`, a custom
   * domain, or the emulator's URL. `COGKIT_DOMAIN`, else `domain` in the config file's profile;
   * a bare host name means `https://`.
   */
  domain?: string;
  /**
   * The loopback callback URL registered on the app client for `cogkit login --browser`, e.g.
   * `http://127.0.0.1:8765/callback` (`COGKIT_CALLBACK_URL`, else `callbackUrl` in the config
   * file's profile). Without a port (or without this setting) a free port is chosen, which
   * Cognito accepts only where the registered URL allows any loopback port.
   */
  callbackUrl?: string;
}

/** Everything a Node client needs, resolved from options, environment and config file. */
export interface ResolvedSettings {
  config: PoolSettings;
  username: string | undefined;
  password: string | undefined;
  profile: string;
  dir: string;
  /** The hosted UI domain without a trailing slash (see {@link SettingsSources.domain}). */
  domain: string | undefined;
  /** The loopback callback URL of `cogkit login --browser` (see {@link SettingsSources.callbackUrl}). */
  callbackUrl: string | undefined;
}

/** What {@link resolveMachineSettings} finds: an app client that may use the client credentials grant. */
export interface MachineSettings {
  clientId: string;
  clientSecret: string;
  /** The hosted UI domain without a trailing slash. */
  domain: string;
  profile: string;
  dir: string;
}

const envNames: Record<keyof PoolSettings | "domain" | "callbackUrl", string> = {
  region: "COGKIT_REGION",
  userPoolId: "COGKIT_USER_POOL_ID",
  userPoolClientId: "COGKIT_CLIENT_ID",
  identityPoolId: "COGKIT_IDENTITY_POOL_ID",
  userPoolEndpoint: "COGKIT_USER_POOL_ENDPOINT",
  identityPoolEndpoint: "COGKIT_IDENTITY_POOL_ENDPOINT",
  clientSecret: "COGKIT_CLIENT_SECRET",
  allowGuestAccess: "COGKIT_ALLOW_GUEST_ACCESS",
  domain: "COGKIT_DOMAIN",
  callbackUrl: "COGKIT_CALLBACK_URL",
};

const poolSettingNames = Object.keys(envNames).filter((name) => name !== "domain" && name !== "callbackUrl") as Array<keyof PoolSettings>;

/**
 * Pool settings from, in order of precedence: `sources.config`, the `COGKIT_*` environment
 * variables, and the profile's section of the config file
 * (`{ "profiles": { "default": { "region": …, "userPoolId": …, … } } }`). The region
 * defaults to the user pool id's prefix. Rejects with `ERR_INVALID_CONFIG` naming what is
 * missing, and where it could have come from; naming a key of the config file it does not
 * know (a misspelt one would silently be ignored), or a config file that was named
 * (`configFile`, `COGKIT_CONFIG_FILE`) but is not there; or naming a config file that another
 * user (not root) owns or others may write to (it says where passwords are sent).
 *
 * @example
 * const { config, profile } = await resolveSettings({ profile: "ci" });
 */
export async function resolveSettings(sources: SettingsSources = {}): Promise<ResolvedSettings> {
  const { merged, fileSection, env, dir, profile } = await collect(sources);
  if (typeof merged.region !== "string" && typeof merged.userPoolId === "string") merged.region = merged.userPoolId.split("_")[0];
  for (const field of ["userPoolId", "userPoolClientId"] as const) await requireString(merged, field, profile);
  const config: PoolSettings = {} as PoolSettings;
  for (const field of poolSettingNames) {
    if (merged[field] !== undefined) (config as unknown as Record<string, unknown>)[field] = merged[field];
  }
  const username = sources.username ?? (env.COGKIT_USERNAME || (typeof fileSection.username === "string" ? fileSection.username : undefined));
  return {
    config,
    username,
    password: sources.password ?? (env.COGKIT_PASSWORD || undefined),
    profile,
    dir,
    domain: await domainOf(merged.domain),
    callbackUrl: typeof merged.callbackUrl === "string" ? merged.callbackUrl : undefined,
  };
}

/**
 * The settings of a confidential app client for the client credentials grant: its id
 * (`COGKIT_CLIENT_ID`), secret (`COGKIT_CLIENT_SECRET`) and the hosted UI domain
 * (`COGKIT_DOMAIN`), from the same places as {@link resolveSettings} (no user pool id
 * needed). Rejects with `ERR_INVALID_CONFIG` naming what is missing.
 *
 * @example
 * const { clientId, domain } = await resolveMachineSettings({ profile: "jobs" });
 */
export async function resolveMachineSettings(sources: SettingsSources = {}): Promise<MachineSettings> {
  const { merged, dir, profile } = await collect(sources);
  for (const field of ["userPoolClientId", "clientSecret", "domain"] as const) await requireString(merged, field, profile);
  return {
    clientId: merged.userPoolClientId as string,
    clientSecret: merged.clientSecret as string,
    domain: (await domainOf(merged.domain))!,
    profile,
    dir,
  };
}

async function collect(sources: SettingsSources) {
  const env = sources.env ?? process.env;
  const dir = sources.dir ?? cogkitConfigDir(env);
  const profile = sources.profile ?? (env.COGKIT_PROFILE || "default");
  const fromEnv: Record<string, unknown> = {};
  for (const [field, name] of Object.entries(envNames)) {
    const value = env[name];
    if (value !== undefined && value !== "") fromEnv[field] = field === "allowGuestAccess" ? value !== "false" && value !== "0" : value;
  }
  const given = Object.fromEntries(
    Object.entries({ ...sources.config, domain: sources.domain, callbackUrl: sources.callbackUrl }).filter(([, value]) => value !== undefined),
  );
  // A file someone named must be there; the default one is optional (the environment may say it all).
  const named = sources.configFile !== undefined ? "the configFile option" : env.COGKIT_CONFIG_FILE ? "COGKIT_CONFIG_FILE" : undefined;
  const file = sources.configFile ?? (env.COGKIT_CONFIG_FILE || join(dir, "config.json"));
  const fileSection = await readProfile(file, profile, named);
  const merged: Record<string, unknown> = { ...fileSection, ...fromEnv, ...given };
  return { merged, fileSection, env, dir, profile };
}

async function requireString(merged: Record<string, unknown>, field: keyof typeof envNames, profile: string) {
  if (typeof merged[field] === "string" && merged[field] !== "") return;
  const { AuthError } = await import("@cogkit/core");
  const option = field === "domain" ? "domain" : `config.${field}`;
  throw new AuthError("ERR_INVALID_CONFIG", `No ${field}: pass ${option}, set ${envNames[field]}, or add it to profile "${profile}" of the config file`);
}

/** The domain as an origin-like URL without a trailing slash; a bare host name means https. */
async function domainOf(value: unknown): Promise<string | undefined> {
  if (value === undefined) return undefined;
  if (typeof value === "string" && value !== "") {
    try {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`);
      if ((url.protocol === "https:" || url.protocol === "http:") && !url.search && !url.hash && !url.username && !url.password) {
        return url.href.replace(/\/+$/, "");
      }
    } catch {
      // reported below
    }
  }
  const { AuthError } = await import("@cogkit/core");
  throw new AuthError("ERR_INVALID_CONFIG", `The domain (COGKIT_DOMAIN, or domain in the config file) must be an http(s) URL or a host name, without query or credentials`);
}

/** What a profile of the config file may hold: the settings of {@link envNames}, and `username`. */
const fileKeys = [...Object.keys(envNames), "username"];

async function readProfile(file: string, profile: string, named: string | undefined): Promise<Record<string, unknown>> {
  const { AuthError } = await import("@cogkit/core");
  const invalid = (message: string, cause?: unknown) => new AuthError("ERR_INVALID_CONFIG", message, cause === undefined ? undefined : { cause });
  // It says where passwords and tokens are sent: only the user (or root, for a file shared
  // by every user through COGKIT_CONFIG_FILE) may have written it.
  const text = await readPrivateFile(file, { rootMayOwn: true });
  if (text === undefined) {
    if (named !== undefined) throw invalid(`The config file ${file} (${named}) does not exist`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw invalid(`The config file ${file} is not valid JSON`, cause);
  }
  const shape = `{ "profiles": { "${profile}": { "userPoolId": …, "userPoolClientId": … } } }`;
  if (!isObject(parsed)) throw invalid(`The config file ${file} must hold an object: ${shape}`);
  // A misspelt key would otherwise be ignored, and the setting silently come from elsewhere.
  for (const key of Object.keys(parsed)) {
    if (key !== "profiles") throw invalid(`cogkit does not know "${key}" at the top of ${file}: it holds only "profiles", as in ${shape}`);
  }
  if (parsed.profiles === undefined) return {};
  if (!isObject(parsed.profiles)) throw invalid(`"profiles" in ${file} must be an object: ${shape}`);
  const section = parsed.profiles[profile];
  if (section === undefined) return {};
  if (!isObject(section)) throw invalid(`Profile "${profile}" in ${file} must be an object: ${shape}`);
  for (const key of Object.keys(section)) {
    if (key === "password") {
      throw invalid(`"password" in profile "${profile}" of ${file}: cogkit reads no password from a file; set COGKIT_PASSWORD, or run \`cogkit login\``);
    }
    if (!fileKeys.includes(key)) throw invalid(`cogkit does not know "${key}" in profile "${profile}" of ${file} (known: ${fileKeys.join(", ")})`);
  }
  return section;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
