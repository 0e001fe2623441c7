import type { AuthConfig } from "../config.js";
import { AuthError } from "../errors.js";

/**
 * The base URL of a hosted-UI domain as written in `loginWith.externalProviders.domain`:
 * an absolute http(s) URL (the emulator's `http://127.0.0.1:9229`, a custom domain, a
 * proxy path) or a bare host (`example.auth.eu-west-1.amazoncognito.com`), which means
 * https. Without a trailing slash; `undefined` for anything else (a query, a fragment,
 * credentials, another scheme).
 *
 * @example
 * hostedUiBaseUrl("auth.example.com") // "https://auth.example.com"
 * hostedUiBaseUrl("http://127.0.0.1:9229/") // "http://127.0.0.1:9229"
 */
export function hostedUiBaseUrl(domain: unknown): string | undefined {
  if (typeof domain !== "string") return undefined;
  const text = /^[a-z\d.-]+(:\d+)?$/i.test(domain) ? `https://${domain}` : domain;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password || !/^https?:\/\//i.test(text)) {
    return undefined;
  }
  return url.href.replace(/\/+$/, "");
}

/** What the hosted-UI functions need from the config, checked. */
export interface HostedUiSettings {
  /** The domain's base URL, without a trailing slash. */
  domain: string;
  callbackUrls: string[];
  logoutUrls: string[];
}

/**
 * Reads `loginWith.externalProviders` for the hosted-UI functions: `createAuthClient`
 * checks only the pool settings, so the part these functions alone use is checked here, by
 * them (`ERR_INVALID_CONFIG` naming the field), and a password-only app never ships it.
 */
export function hostedUiSettings(config: AuthConfig<any>): HostedUiSettings {
  const external = config.loginWith?.externalProviders;
  const field = "loginWith.externalProviders.domain";
  const domain = hostedUiBaseUrl(external?.domain);
  if (!domain) {
    throw new AuthError(
      "ERR_INVALID_CONFIG",
      `Invalid auth config: \`${field}\` must be the hosted UI's URL or host${external?.domain === undefined ? " (it is missing)" : ""}.`,
    );
  }
  const list = (key: "callbackUrls" | "logoutUrls") => {
    const urls: unknown = external![key] ?? [];
    if (!Array.isArray(urls) || urls.some((url) => typeof url !== "string")) {
      throw new AuthError("ERR_INVALID_CONFIG", `Invalid auth config: \`loginWith.externalProviders.${key}\` must be an array of URLs.`);
    }
    return urls as string[];
  };
  return { domain, callbackUrls: list("callbackUrls"), logoutUrls: list("logoutUrls") };
}

/**
 * The URL to come back to: the first of `urls` on the page's origin (`location.origin`,
 * read now), else the first of them. `undefined` when there are none.
 */
export function pickUrlForThisPage(urls: readonly string[]): string | undefined {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  // An opaque origin ("null": a file:// page, a custom scheme) matches nothing.
  return urls.find((url) => origin !== "null" && originOf(url) === origin) ?? urls[0];
}

/** The origin of an absolute URL; `undefined` when it is not one. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
