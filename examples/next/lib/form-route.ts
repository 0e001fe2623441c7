import { isAuthError } from "@cogkit/core";
import { createServerClient, requestCookies, type ServerClient } from "@cogkit/core/server";
import { appConfig, serverOptions } from "./cogkit";

/**
 * A route that takes a form post and answers with a redirect (303) carrying the cookies the
 * server client set: plain `Request`/`Response`, so it works without JavaScript in the page.
 * A failure goes back to `errorPath` with the error's code (never its details).
 */
export function formRoute(run: (server: ServerClient, form: FormData) => Promise<string>, errorPath: string) {
  return async (request: Request): Promise<Response> => {
    const headers = new Headers();
    const server = createServerClient(appConfig(), { ...(await serverOptions()), cookies: requestCookies(request, headers) });
    let location: string;
    try {
      location = await run(server, await request.formData());
    } catch (error) {
      location = `${errorPath}?error=${isAuthError(error) ? error.code : "ERR_UNKNOWN"}`;
    }
    headers.set("location", new URL(location, request.url).pathname + new URL(location, request.url).search);
    return new Response(null, { status: 303, headers });
  };
}

/** Where a sign-in result leads: the account once done, the step's page otherwise. */
export function nextPage(step: { type: string }): string {
  return step.type === "done" ? "/account" : `/sign-in/step?type=${step.type}`;
}
