import { type ClientContext, secretHashParameter } from "../client-context.js";
import { isAuthError } from "../errors.js";
import { readJwtClaims } from "../jwt.js";
import type { RefreshTokensInput, RefreshTokensResult } from "../session/session-controller.js";
import { grantFromResult } from "./grant-from-result.js";

/**
 * The session's refresh call: `GetTokensFromRefreshToken` (rotation aware, `ClientSecret`
 * sent raw), or `InitiateAuth REFRESH_TOKEN_AUTH` where the server does not know that
 * operation (older emulators, proxies). `legacy` remembers the server's answer.
 */
export function createRefreshTokens(context: ClientContext<any>): (input: RefreshTokensInput) => Promise<RefreshTokensResult> {
  let legacy = false;
  return async ({ refreshToken, signal }) => {
    const { config, transport } = context;
    const ClientId = config.userPoolClientId;
    if (!legacy) {
      try {
        const output = await transport.userPool(
          "GetTokensFromRefreshToken",
          { RefreshToken: refreshToken, ClientId, ClientSecret: config.clientSecret },
          { signal },
        );
        return grantFromResult(output.AuthenticationResult, refreshToken);
      } catch (error) {
        if (!isAuthError(error, "ERR_UNSUPPORTED_OPERATION")) throw error;
        legacy = true;
      }
    }
    const state = context.session.getState();
    // SECRET_HASH of a refresh is keyed by the user's name as the access token gives it.
    const username = "tokens" in state ? readJwtClaims(state.tokens.accessToken)?.username : undefined;
    const output = await transport.userPool(
      "InitiateAuth",
      { AuthFlow: "REFRESH_TOKEN_AUTH", ClientId, AuthParameters: { REFRESH_TOKEN: refreshToken, ...(await secretHashParameter(context, String(username))) } },
      { signal },
    );
    return grantFromResult(output.AuthenticationResult, refreshToken);
  };
}
