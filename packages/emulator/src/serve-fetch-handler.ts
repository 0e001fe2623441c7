import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A running node:http server around a Fetch-API handler. */
export interface FetchServer {
  url: string;
  close(): Promise<void>;
}

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const method = incoming.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), { method, headers, ...(hasBody ? { body: Buffer.concat(chunks) } : {}) });
}

/**
 * Serves a Fetch-API handler on 127.0.0.1 with node:http — the only Node-server code of
 * the emulator. Port 0 (default) picks a free port.
 *
 * @example
 * const server = await serveFetchHandler(handle, { port: 0 });
 * await server.close();
 */
export function serveFetchHandler(handle: (request: Request) => Promise<Response>, options: { port?: number } = {}): Promise<FetchServer> {
  const hostname = "127.0.0.1";
  let origin = "";
  const server = createServer((incoming, outgoing) => {
    toRequest(incoming, origin)
      .then(handle)
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(body);
      })
      .catch(() => {
        if (!outgoing.headersSent) outgoing.writeHead(500, { "content-type": "application/json" });
        outgoing.end(JSON.stringify({ __type: "InternalErrorException", message: "An internal error occurred." }));
      });
  });
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
