// Test support: users made through the emulator's own sign-up, and a counting HTTP proxy
// in front of it, so tests observe requests at the HTTP boundary.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthConfig, createAuthClient, createMemoryStorage } from "@cogkit/core";
import type { Emulator } from "@cogkit/emulator";

export const password = "Corr3ct-Horse!";
let counter = 0;
export const newEmail = (tag = "user") => `${tag}${++counter}.${process.pid}.${Date.now()}@example.com`;

/** Signs up and confirms a user through the emulator; returns its email. */
export async function confirmedUser(emulator: Emulator, config: AuthConfig = emulator.config): Promise<string> {
  const client = createAuthClient(config, { platform: { storage: createMemoryStorage() } });
  const email = newEmail();
  await client.signUp({ username: email, password, attributes: { email } });
  await client.confirmSignUp({ username: email, code: emulator.outbox.latest(email)!.code });
  client.dispose();
  return email;
}

/** Signs a fresh user in and returns its tokens as strings. */
export async function signedInTokens(emulator: Emulator) {
  const email = await confirmedUser(emulator);
  const client = createAuthClient(emulator.config, { platform: { storage: createMemoryStorage() } });
  await client.signIn({ username: email, password });
  const tokens = await client.getTokens();
  client.dispose();
  return { email, idToken: tokens.idToken.jwt, accessToken: tokens.accessToken.jwt };
}

/** An HTTP proxy that forwards every request to `target` and counts them by path. */
export async function startCountingProxy(target: string) {
  const counts = new Map<string, number>();
  const server = createServer(async (req: IncomingMessage, res) => {
    const path = req.url ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(new URL(path, target), {
      method: req.method,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "host") as Array<[string, string]>),
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (path: string) => counts.get(path) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
