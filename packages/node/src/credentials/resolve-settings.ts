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
}

/** Everything a Node client needs, resolved from options, environment and config file. */
export interface ResolvedSettings {
  config: PoolSettings;
  username: string | undefined;
  password: string | undefined;
  profile: string;
  dir: string;
}

const envNames: Record<keyof PoolSettings, string> = {
  region: "COGKIT_REGION",
  userPoolId: "COGKIT_USER_POOL_ID",
  userPoolClientId: "COGKIT_CLIENT_ID",
  identityPoolId: "COGKIT_IDENTITY_POOL_ID",
  userPoolEndpoint: "COGKIT_USER_POOL_ENDPOINT",
  identityPoolEndpoint: "COGKIT_IDENTITY_POOL_ENDPOINT",
  clientSecret: "COGKIT_CLIENT_SECRET",
  allowGuestAccess: "COGKIT_ALLOW_GUEST_ACCESS",
};

/**
 * Pool settings from, in order of precedence: `sources.config`, the `COGKIT_*` environment
 * variables, and the profile's section of the config file
 * (`{ "profiles": { "default": { "region": …, "userPoolId": …, … } } }`). The region
 * defaults to the user pool id's prefix. Rejects with `ERR_INVALID_CONFIG` naming what is
 * missing, and where it could have come from; or naming a config file that another user
 * (not root) owns or others may write to (it says where passwords are sent).
 *
 * @example
 * const { config, profile } = await resolveSettings({ profile: "ci" });
 */
export async function resolveSettings(sources: SettingsSources = {}): Promise<ResolvedSettings> {
  const env = sources.env ?? process.env;
  const dir = sources.dir ?? cogkitConfigDir(env);
  const profile = sources.profile ?? (env.COGKIT_PROFILE || "default");
  const fromEnv: Partial<Record<keyof PoolSettings, unknown>> = {};
  for (const [field, name] of Object.entries(envNames) as Array<[keyof PoolSettings, string]>) {
    const value = env[name];
    if (value !== undefined && value !== "") fromEnv[field] = field === "allowGuestAccess" ? value !== "false" && value !== "0" : value;
  }
  const given = Object.fromEntries(Object.entries(sources.config ?? {}).filter(([, value]) => value !== undefined));
  const fileSection = await readProfile(sources.configFile ?? env.COGKIT_CONFIG_FILE ?? join(dir, "config.json"), profile);
  const merged: Record<string, unknown> = { ...fileSection, ...fromEnv, ...given };
  if (typeof merged.region !== "string" && typeof merged.userPoolId === "string") merged.region = merged.userPoolId.split("_")[0];
  for (const field of ["userPoolId", "userPoolClientId"] as const) {
    if (typeof merged[field] !== "string" || merged[field] === "") {
      const { AuthError } = await import("@cogkit/core");
      throw new AuthError(
        "ERR_INVALID_CONFIG",
        `No ${field}: pass config.${field}, set ${envNames[field]}, or add it to profile "${profile}" of the config file`,
      );
    }
  }
  const config: PoolSettings = {} as PoolSettings;
  for (const field of Object.keys(envNames) as Array<keyof PoolSettings>) {
    if (merged[field] !== undefined) (config as unknown as Record<string, unknown>)[field] = merged[field];
  }
  const username = sources.username ?? (env.COGKIT_USERNAME || (typeof fileSection.username === "string" ? fileSection.username : undefined));
  return { config, username, password: sources.password ?? (env.COGKIT_PASSWORD || undefined), profile, dir };
}

async function readProfile(file: string, profile: string): Promise<Record<string, unknown>> {
  // It says where passwords and tokens are sent: only the user (or root, for a file shared
  // by every user through COGKIT_CONFIG_FILE) may have written it.
  const text = await readPrivateFile(file, { rootMayOwn: true });
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const { AuthError } = await import("@cogkit/core");
    throw new AuthError("ERR_INVALID_CONFIG", `The config file ${file} is not valid JSON`, { cause });
  }
  const section = (parsed as { profiles?: Record<string, unknown> } | null)?.profiles?.[profile];
  return typeof section === "object" && section !== null ? (section as Record<string, unknown>) : {};
}
