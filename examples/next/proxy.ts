import { createServerClient } from "@cogkit/core/server";
import { type NextRequest, NextResponse } from "next/server";
import { appConfig, serverOptions } from "./lib/cogkit";

/**
 * Runs before the protected pages: refreshes a session that is due (its new cookies go to
 * the page, which reads them from the request, and to the browser) and sends visitors who
 * are not signed in to the sign-in page — keeping any cookie deletions on that redirect.
 */
export async function proxy(request: NextRequest) {
  let response = NextResponse.next({ request });
  const server = createServerClient(appConfig(), {
    ...(await serverOptions()),
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll(cookies) {
        for (const { name, value, options } of cookies) {
          if (options.maxAge === 0) request.cookies.delete(name);
          else request.cookies.set(name, value);
        }
        response = NextResponse.next({ request });
        for (const { name, value, options } of cookies) response.cookies.set(name, value, options);
      },
    },
  });
  if (await server.getSession()) return response;
  const redirect = NextResponse.redirect(new URL("/sign-in", request.url), 303);
  for (const cookie of response.cookies.getAll()) redirect.cookies.set(cookie);
  return redirect;
}

export const config = { matcher: ["/account/:path*"] };
