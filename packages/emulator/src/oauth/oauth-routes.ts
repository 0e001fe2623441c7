import type { EmulatorState } from "../emulator-state.js";
import { handleAuthorizeRequest } from "./authorize-endpoint.js";
import { handleFakeProviderPage, handleProviderResponse, providerOfPath } from "./fake-provider-pages.js";
import { errorPage } from "./html-page.js";
import { showLoginPage, submitLoginPage } from "./login-page.js";
import { handleLogoutRequest } from "./logout-endpoint.js";
import { handleRevokeRequest } from "./revoke-endpoint.js";
import { handleTokenRequest, tokenError } from "./token-endpoint.js";
import { handleUserInfoRequest } from "./user-info-endpoint.js";

/**
 * The user pool's OAuth domain on the emulator's base URL: `/oauth2/authorize`,
 * `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke`, `/oauth2/idpresponse`, `/login`,
 * `/logout` and the fake providers' pages under `/_fake-idp/`. Undefined for other paths.
 */
export async function handleOAuthRequest(state: EmulatorState, request: Request, url: URL): Promise<Response | undefined> {
  const { method } = request;
  const path = url.pathname;
  switch (path) {
    case "/oauth2/authorize":
      return method === "GET" ? handleAuthorizeRequest(state, request, url) : errorPage("invalid_request", "Use GET.", 405);
    case "/oauth2/token":
      return method === "POST" ? handleTokenRequest(state, request) : tokenError("invalid_request");
    case "/oauth2/userInfo":
      return method === "GET" || method === "POST" ? handleUserInfoRequest(state, request) : undefined;
    case "/oauth2/revoke":
      return method === "POST" ? handleRevokeRequest(state, request) : tokenError("invalid_request");
    case "/oauth2/idpresponse":
      return method === "GET" ? handleProviderResponse(state, url) : undefined;
    case "/login":
      if (method === "GET") return showLoginPage(state, url);
      if (method === "POST") return submitLoginPage(state, new URLSearchParams(await request.text()));
      return undefined;
    case "/logout":
      return method === "GET" ? handleLogoutRequest(state, request, url) : undefined;
  }
  const provider = providerOfPath(state, path);
  if (provider && (method === "GET" || method === "POST")) return handleFakeProviderPage(state, request, url, provider);
  return undefined;
}
