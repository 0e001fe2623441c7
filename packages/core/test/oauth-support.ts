// Test support for the hosted-UI suites: a client on a memory storage and a test clock
// whose token endpoint is a stand-in (for faults and browser-less cases), the stored
// request read back, and a popup window that plays a browser's (its location unreadable
// while on the hosted UI's origin).
import { type AuthConfig, createAuthClient, createMemoryStorage, type KeyValueStorage } from "@cogkit/core";
import { type PopupWindow } from "@cogkit/core/hosted-ui";
import { oauthRequestsKey, type PendingRequest } from "../src/oauth/pending-requests.js";
import { createTestClock } from "./test-clock.js";
import { fakeJwt } from "./test-tokens.js";

export const appConfig: AuthConfig = {
  region: "eu-west-1",
  userPoolId: "eu-west-1_abc",
  userPoolClientId: "client1",
  loginWith: {
    externalProviders: {
      domain: "auth.example.com",
      callbackUrls: ["http://localhost:3000/callback"],
      logoutUrls: ["http://localhost:3000/"],
    },
  },
};

/** The stored requests of `clientId` (the raw record's `requests`, or []). */
export async function storedRequests(storage: KeyValueStorage, clientId = "client1"): Promise<Array<PendingRequest & { done?: true }>> {
  return JSON.parse((await storage.getItem(oauthRequestsKey(clientId))) ?? '{"requests":[]}').requests;
}

/** What the stand-in token endpoint received. */
export interface TokenCall {
  url: string;
  headers: Headers;
  form: Record<string, string>;
  signal: AbortSignal | undefined;
}

/**
 * Tokens as Cognito's token endpoint would answer for the stored request whose verifier the
 * call carries (iss, aud and nonce right, issued now), changed by `claims`.
 */
export function tokenAnswer(request: PendingRequest | undefined, nowMs: number, claims: Record<string, unknown> = {}) {
  const iat = Math.floor(nowMs / 1000);
  return {
    id_token: fakeJwt({
      iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
      aud: "client1",
      sub: "u-1",
      "cognito:username": "Google_1234",
      email: "ana@example.com",
      token_use: "id",
      nonce: request?.nonce,
      iat,
      exp: iat + 3600,
      ...claims,
    }),
    access_token: fakeJwt({ token_use: "access", client_id: "client1", username: "Google_1234", iat, exp: iat + 3600 }),
    refresh_token: "rt-hosted",
    expires_in: 3600,
    token_type: "Bearer",
  };
}

/**
 * A client whose `platform.fetch` is the stand-in token endpoint: `answer` gives the
 * response (default: good tokens for the stored request), or throws for a network failure.
 */
export function standInClient(options: { config?: Partial<AuthConfig>; answer?: (call: TokenCall, request: PendingRequest | undefined) => Response | Promise<Response> } = {}) {
  const memory = createMemoryStorage();
  const clock = createTestClock();
  const calls: TokenCall[] = [];
  // Every request as stored when it was made (completeSignIn removes it before the exchange).
  const made: PendingRequest[] = [];
  const storage: KeyValueStorage = {
    ...memory,
    setItem(key, value) {
      for (const request of JSON.parse(value).requests ?? []) if (!made.some((m) => m.state === request.state)) made.push(request);
      return memory.setItem(key, value);
    },
  };
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), headers: new Headers(init?.headers), form: Object.fromEntries(new URLSearchParams(String(init?.body))), signal: init?.signal ?? undefined };
    calls.push(call);
    const request = made.find((r) => r.verifier === call.form.code_verifier);
    if (options.answer) return options.answer(call, request);
    return Response.json(tokenAnswer(request, clock.now()));
  };
  const client = createAuthClient({ ...appConfig, ...options.config }, { platform: { storage, clock, fetch: fetch as typeof globalThis.fetch } });
  const visited: string[] = [];
  const navigate = (url: string) => void visited.push(url);
  /** Starts a sign-in and returns the callback URL Cognito would send back for it. */
  const startSignIn = async (signInOptions: { customState?: string } = {}) => {
    const { signInWithRedirect } = await import("@cogkit/core/hosted-ui");
    await signInWithRedirect(client, { navigate, ...signInOptions });
    const authorize = new URL(visited.at(-1)!);
    const state = authorize.searchParams.get("state")!;
    return {
      state,
      callback: `${authorize.searchParams.get("redirect_uri")}?code=c0de-${made.length}&state=${state}`,
    };
  };
  return { client, storage, clock, calls, made, navigate, visited, startSignIn };
}

/**
 * A popup as a browser shows it: `location.href` reads while on `appOrigin` (or
 * about:blank) and throws while elsewhere; setting it navigates. `cameBack(url)` is the
 * hosted UI redirecting to the callback; `closeByUser()` the user closing it.
 */
export function fakePopup(appOrigin = "http://localhost:3000") {
  let href = "about:blank";
  let closed = false;
  const visited: string[] = [];
  const readable = () => href === "about:blank" || new URL(href).origin === appOrigin;
  const window: PopupWindow & { postMessageFrom?: unknown } = {
    get closed() {
      return closed;
    },
    close() {
      closed = true;
    },
    location: {
      get href() {
        if (!readable()) throw new DOMException("Blocked a frame from accessing a cross-origin frame", "SecurityError");
        return href;
      },
      set href(url: string) {
        href = url;
        visited.push(url);
      },
    },
  };
  const opened: Array<[string, string, string]> = [];
  return {
    window,
    opened,
    visited,
    open: (url: string, target: string, features: string) => {
      opened.push([url, target, features]);
      return window;
    },
    cameBack: (url: string) => void (href = url),
    closeByUser: () => void (closed = true),
    get closed() {
      return closed;
    },
  };
}
