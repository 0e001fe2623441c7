import { connect, type Socket } from "node:net";

/** A raw TCP connection to the emulator, for requests fetch will not send (a forged Host, a stall). */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
}

/**
 * Opens a raw connection to an emulator's URL and resolves once it is connected; `closed`
 * resolves with what the server sent when either side closes (a reset counts as closed).
 */
export function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const closed = new Promise<string>((done) => socket.once("close", () => done(Buffer.concat(received).toString("latin1"))));
    socket.once("error", () => undefined); // a refused or reset connection shows as `closed`
    socket.once("connect", () => resolve({ socket, closed }));
    socket.once("close", () => reject(new Error("closed before connecting")));
  });
}

/** Sends one complete request with `Connection: close` over a raw socket and resolves with the raw answer. */
export async function rawRequest(url: string, request: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<RawAnswer> {
  const { socket, closed } = await openRaw(url);
  const body = request.body ?? "";
  const headers = { host: new URL(url).host, connection: "close", ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...request.headers };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  socket.write(`${request.method ?? "GET"} ${request.path ?? "/"} HTTP/1.1\r\n${head}\r\n${body}`);
  return parseRaw(await closed);
}

/** A response as read off the wire. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits a raw HTTP/1.1 response (not chunked-decoded bodies beyond a simple join). */
export function parseRaw(text: string): RawAnswer {
  const end = text.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = text.slice(0, end < 0 ? text.length : end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = end < 0 ? "" : text.slice(end + 4);
  if (headers["transfer-encoding"] === "chunked") body = dechunk(body);
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body };
}

function dechunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
