
/** What {@link requestClientCredentials} needs: the client, its secret, where to ask, and for what. */
export interface ClientCredentialsRequest {
  domain: string;
  clientId: string;
  clientSecret: string;
  /** Requested scopes; none asks for every scope the app client is allowed. */
  scopes: readonly string[];
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Give up after this long without a whole answer (`ERR_TIMEOUT`); default 30 s. */
  timeoutMs?: number;
}

/** A token answer of the token endpoint, checked. */
export interface ClientCredentialsGrant {
  accessToken: string;
  /** Lifetime in seconds, as the server said (`expires_in`). */
  expiresIn: number;
  /** The scopes granted: the answer's `scope`, else the token's `scope` claim. */
  scopes: string[];
}

/**
 * One `POST <domain>/oauth2/token` with `grant_type=client_credentials`, the client
 * authenticated with HTTP Basic (id and secret form-encoded first, as RFC 6749 §2.3.1 says).
 * Rejects with an `AuthError`: `ERR_NOT_AUTHORIZED` for a refused client, `ERR_INVALID_PARAMETER`
 * naming the scopes for `invalid_scope`, retryable `ERR_NETWORK` / `ERR_TIMEOUT` (no whole
 * answer within `timeoutMs`) / `ERR_SERVICE` / `ERR_THROTTLED` for what may pass,
 * `ERR_ABORTED` when `signal` aborts, `ERR_BAD_RESPONSE` for an answer that is not a token.
 * No message holds the secret or a token.
 *
 * @example
 * const grant = await requestClientCredentials({ domain, clientId, clientSecret, scopes: ["https://api.example.com/read"], fetch });
 */
export async function requestClientCredentials(request: ClientCredentialsRequest): Promise<ClientCredentialsGrant> {
  const { AuthError } = await import("@cogkit/core");
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (request.scopes.length > 0) body.set("scope", request.scopes.join(" "));
  const endpoint = `${request.domain}/oauth2/token`;
  // A token endpoint that never answers must not hold the caller (and its process) forever.
  const timeout = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const stopped = (cause: unknown) =>
    timeout.aborted && !request.signal?.aborted
      ? new AuthError("ERR_TIMEOUT", `${endpoint} did not answer within ${(request.timeoutMs ?? 30_000) / 1000} s`, { cause, retryable: true })
      : new AuthError("ERR_ABORTED", "The access token request was aborted", { cause });
  let response: Response;
  try {
    response = await request.fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
        authorization: `Basic ${Buffer.from(`${encode(request.clientId)}:${encode(request.clientSecret)}`).toString("base64")}`,
      },
      body: body.toString(),
      signal,
    });
  } catch (cause) {
    if (signal.aborted) throw stopped(cause);
    throw new AuthError("ERR_NETWORK", `Could not reach ${endpoint}`, { cause, retryable: true });
  }
  let answer: unknown;
  try {
    answer = await response.json();
  } catch (cause) {
    if (signal.aborted) throw stopped(cause);
    answer = undefined;
  }
  const fields = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>) : {};
  if (!response.ok) {
    const error = typeof fields.error === "string" ? fields.error : undefined;
    const options = { status: response.status, serviceCode: error };
    const what = request.scopes.length > 0 ? `scope ${request.scopes.join(", ")}` : "its default scopes";
    switch (error) {
      case "invalid_client":
        throw new AuthError("ERR_NOT_AUTHORIZED", `${endpoint} refused app client ${request.clientId}: wrong client id or secret (invalid_client)`, options);
      case "unauthorized_client":
        throw new AuthError("ERR_NOT_AUTHORIZED", `App client ${request.clientId} may not use the client credentials grant (unauthorized_client): it needs a secret and the client_credentials flow`, options);
      case "invalid_scope":
        throw new AuthError("ERR_INVALID_PARAMETER", `App client ${request.clientId} may not have ${what} (invalid_scope)`, options);
      case "invalid_request":
      case "unsupported_grant_type":
        throw new AuthError("ERR_INVALID_PARAMETER", `${endpoint} refused the client credentials request (${error})`, options);
    }
    if (response.status === 429) throw new AuthError("ERR_THROTTLED", `${endpoint} is throttling requests (HTTP 429)`, { ...options, retryable: true });
    if (response.status >= 500) throw new AuthError("ERR_SERVICE", `${endpoint} failed (HTTP ${response.status})`, { ...options, retryable: true });
    throw new AuthError("ERR_BAD_RESPONSE", `${endpoint} answered HTTP ${response.status} without a known OAuth error`, options);
  }
  const { access_token: accessToken, expires_in: expiresIn, token_type: tokenType, scope } = fields;
  if (
    typeof accessToken !== "string" ||
    accessToken === "" ||
    typeof expiresIn !== "number" ||
    !(expiresIn > 0) ||
    (tokenType !== undefined && (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer")) ||
    (scope !== undefined && typeof scope !== "string")
  ) {
    throw new AuthError("ERR_BAD_RESPONSE", `${endpoint} answered without a bearer access token and its lifetime`, { status: response.status });
  }
  const granted = typeof scope === "string" ? scope : scopeClaim(accessToken);
  return { accessToken, expiresIn, scopes: granted === undefined ? [...request.scopes] : granted.split(" ").filter(Boolean) };
}

/** The `scope` claim of a JWT access token (Cognito's answer names no scopes), unverified: it only reports. */
function scopeClaim(jwt: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { scope?: unknown };
    return typeof claims.scope === "string" ? claims.scope : undefined;
  } catch {
    return undefined;
  }
}
