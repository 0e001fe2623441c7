import type { AuthError, PoolSettings } from "@cogkit/core";

// What Node's fetch says under "fetch failed", in words.
const reasons: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "name lookup failed",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
};

/**
 * The message for a request that got no answer (`ERR_NETWORK`, `ERR_TIMEOUT`): the host it
 * went to — the endpoint setting, else Cognito's own host in the region — why, as far as
 * Node says, and the setting to check.
 *
 * @example
 * unreachableMessage(error, settings.config) // "cannot reach 127.0.0.1:9229 (connection refused): check that the user pool endpoint http://127.0.0.1:9229/ is up (COGKIT_USER_POOL_ENDPOINT, or userPoolEndpoint in the config file)"
 */
export function unreachableMessage(error: AuthError, config: PoolSettings): string {
  // The fetch transport's messages start with the operation's target, which names the service.
  const identityPool = error.message.startsWith("AWSCognitoIdentityService.");
  const endpoint = identityPool ? config.identityPoolEndpoint : config.userPoolEndpoint;
  const url = new URL(endpoint ?? `https://${identityPool ? "cognito-identity" : "cognito-idp"}.${config.region}.amazonaws.com/`);
  const code = String((error.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? "");
  const why = error.code === "ERR_TIMEOUT" ? "no answer in time" : (reasons[code] ?? (code || "network error"));
  const check = endpoint
    ? `check that the ${identityPool ? "identity" : "user"} pool endpoint ${url.href} is up (COGKIT_${identityPool ? "IDENTITY" : "USER"}_POOL_ENDPOINT, or ${identityPool ? "identity" : "user"}PoolEndpoint in the config file)`
    : `check the network connection, and that ${config.region} (COGKIT_REGION, or region in the config file) is the pool's region`;
  return `cannot reach ${url.host} (${why}): ${check}`;
}
