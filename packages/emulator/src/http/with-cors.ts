const allowedHeaders = [
  "content-type",
  "x-amz-target",
  "x-amz-user-agent",
  "x-amz-date",
  "x-amz-security-token",
  "x-amz-content-sha256",
  "amz-sdk-invocation-id",
  "amz-sdk-request",
  "authorization",
  "cache-control",
].join(", ");

/**
 * Adds the CORS headers a browser app needs to call the emulator from another origin,
 * and lets it read `x-amzn-ErrorType` and `x-amzn-RequestId`. Only for an allowed origin
 * on a path browsers call: the handler decides, this echoes the request's origin.
 *
 * @example
 * return withCors(request, jsonResponse({ ok: true }));
 */
export function withCors(request: Request, response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("access-control-allow-origin", request.headers.get("origin") ?? "*");
  headers.set("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
  headers.set("access-control-allow-headers", request.headers.get("access-control-request-headers") ?? allowedHeaders);
  headers.set("access-control-expose-headers", "x-amzn-ErrorType, x-amzn-RequestId, x-amzn-ErrorMessage, Date");
  headers.set("access-control-max-age", "86400");
  headers.append("vary", "Origin");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
