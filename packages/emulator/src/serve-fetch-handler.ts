import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHostCheck } from "./http/host-check.js";

/** A running node:http server around a Fetch-API handler. */
export interface FetchServer {
  url: string;
  close(): Promise<void>;
}

/**
 * What the server takes from one client, so that a stray or hostile client cannot hold
 * the emulator's memory or connections. Every field is optional.
 *
 * @example
 * await startEmulator({ limits: { maxBodyBytes: 256 * 1024, requestTimeoutMs: 5_000 } });
 */
export interface ServerLimits {
  /** Largest request body; larger ones get 413. Default 1 MiB (Cognito's largest requests are a few hundred KiB). */
  maxBodyBytes?: number;
  /** Time to receive a request's headers; then 408 and the connection closes. Default 10 s (at most `requestTimeoutMs`). */
  headersTimeoutMs?: number;
  /** Time to receive a whole request, headers and body; then 408 and the connection closes. Default 30 s. */
  requestTimeoutMs?: number;
  /** Open connections at once; further ones are closed at once until some end. Default 512. */
  maxConnections?: number;
}

/** How to serve: port, which Host names to answer, limits. */
export interface FetchServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Host names answered besides `localhost`, `127.0.0.1` and `[::1]` (any port). */
  allowedHosts?: readonly string[] | undefined;
  limits?: ServerLimits | undefined;
}

const defaults: Required<ServerLimits> = { maxBodyBytes: 1024 * 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 512 };

function resolveLimits(limits: ServerLimits = {}): Required<ServerLimits> {
  if (typeof limits !== "object" || limits === null) throw new TypeError("limits must be an object");
  const resolved = { ...defaults };
  for (const key of Object.keys(defaults) as Array<keyof ServerLimits>) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`limits.${key} must be a positive whole number`);
    resolved[key] = value;
  }
  // node:http refuses a header time limit longer than the whole request's.
  resolved.headersTimeoutMs = Math.min(resolved.headersTimeoutMs, resolved.requestTimeoutMs);
  return resolved;
}

/** A body over `maxBodyBytes`. */
class BodyTooLargeError extends Error {}

function readBody(incoming: IncomingMessage, maxBytes: number): Promise<Buffer<ArrayBuffer>> {
  return new Promise((resolve, reject) => {
    // Refused before reading a byte when the length is declared.
    if (Number(incoming.headers["content-length"] ?? 0) > maxBytes) return reject(new BodyTooLargeError());
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      incoming.off("data", onData);
      reject(new BodyTooLargeError());
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(Buffer.concat(chunks)));
    incoming.once("error", reject);
    incoming.once("close", () => reject(new Error("the client went away")));
  });
}

function toRequest(incoming: IncomingMessage, body: Buffer<ArrayBuffer>, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), { method, headers, ...(hasBody ? { body } : {}) });
}

function sendJson(outgoing: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  outgoing.writeHead(status, { "content-type": "application/json", ...headers });
  outgoing.end(JSON.stringify(body));
}

/**
 * Answers a body over the cap with 413, then closes our side only after the answer is out
 * and keeps discarding what the client still sends: closing at once with unread data would
 * reset the connection and could lose the answer before the client reads it.
 */
function refuseLargeBody(incoming: IncomingMessage, outgoing: ServerResponse, maxBytes: number): void {
  incoming.on("error", () => undefined);
  incoming.resume();
  outgoing.writeHead(413, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "SerializationException" });
  outgoing.end(JSON.stringify({ __type: "SerializationException", message: `The request body is larger than ${maxBytes} bytes` }), () => incoming.socket?.end());
}

/**
 * Serves a Fetch-API handler on 127.0.0.1 with node:http — the only Node-server code of
 * the emulator. Port 0 (default) picks a free port. Answers only loopback `Host` names and
 * `allowedHosts` (403 otherwise: a page on a DNS-rebound name must not reach it), and holds
 * clients to `limits`. Throws a TypeError for bad options.
 *
 * @example
 * const server = await serveFetchHandler(handle, { port: 0, limits: { maxBodyBytes: 64 * 1024 } });
 * await server.close();
 */
export function serveFetchHandler(handle: (request: Request) => Promise<Response>, options: FetchServerOptions = {}): Promise<FetchServer> {
  const hostname = "127.0.0.1";
  const isAllowedHost = createHostCheck(options.allowedHosts);
  const limits = resolveLimits(options.limits);
  let origin = "";
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often node:http looks for requests over their time limits (default 30 s).
      connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (incoming, outgoing) => {
      if (!isAllowedHost(incoming.headers.host)) {
        incoming.resume();
        return sendJson(outgoing, 403, { message: "The emulator answers only loopback host names and allowedHosts" });
      }
      readBody(incoming, limits.maxBodyBytes)
        .then((body) => handle(toRequest(incoming, body, origin)))
        .then(async (response) => {
          const body = Buffer.from(await response.arrayBuffer());
          outgoing.writeHead(response.status, Object.fromEntries(response.headers));
          outgoing.end(body);
        })
        .catch((error: unknown) => {
          if (outgoing.headersSent || incoming.socket?.destroyed !== false) return;
          if (error instanceof BodyTooLargeError) return refuseLargeBody(incoming, outgoing, limits.maxBodyBytes);
          sendJson(outgoing, 500, { __type: "InternalErrorException", message: "An internal error occurred." });
        });
    },
  );
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => {
      server.off("error", reject);
      origin = `http://${hostname}:${(server.address() as AddressInfo).port}`;
      resolve({
        url: origin,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
