import { readJwtClaims } from "../jwt.js";

/** An identity pool `Logins` map: provider key → token. */
export type Logins = Record<string, string>;

/** Who issued a token for {@link federate}: a social provider, or an OIDC issuer. */
export type FederatedProvider = "google" | "apple" | "amazon" | "facebook" | { oidc: string };

const providerKeys: Record<string, string> = {
  google: "accounts.google.com",
  apple: "appleid.apple.com",
  amazon: "www.amazon.com",
  facebook: "graph.facebook.com",
};

/**
 * The `Logins` key of a user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`.
 *
 * @example
 * userPoolLoginKey("eu-west-1", "eu-west-1_abc") // "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
 */
export function userPoolLoginKey(region: string, userPoolId: string): string {
  return `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The `Logins` key of an external provider: the social providers' fixed keys, or an OIDC
 * issuer's host and path (`https://` and a trailing `/` dropped). Throws a `TypeError` for
 * anything else.
 *
 * @example
 * federatedLoginKey("google") // "accounts.google.com"
 * federatedLoginKey({ oidc: "https://login.example.com/tenant/" }) // "login.example.com/tenant"
 */
export function federatedLoginKey(provider: FederatedProvider): string {
  const key =
    typeof provider === "string"
      ? providerKeys[provider]
      : typeof provider?.oidc === "string"
        ? provider.oidc.replace(/^https:\/\//, "").replace(/\/+$/, "")
        : undefined;
  if (!key || /^[a-z]+:|\s/i.test(key)) {
    throw new TypeError("provider must be google, apple, amazon, facebook or { oidc: issuer host }");
  }
  return key;
}

/**
 * Whom a `Logins` map identifies, to tell whether a stored identity id belongs to it:
 * `null` for no logins (a guest); otherwise each provider key with the token's `sub` when
 * the token is a JWT. For an opaque token (Facebook, Amazon) the subject cannot be known,
 * and the result is `""`, which matches no stored identity: Cognito is asked (`GetId`).
 *
 * @example
 * loginsSubject({ "accounts.google.com": googleIdToken }) // "accounts.google.com#1057…"
 */
export function loginsSubject(logins: Logins | undefined): string | null {
  if (!logins) return null;
  const parts: string[] = [];
  for (const key of Object.keys(logins).sort()) {
    const sub = readJwtClaims(logins[key]!)?.sub;
    if (typeof sub !== "string") return "";
    parts.push(`${key}#${sub}`);
  }
  return parts.join(" ");
}
