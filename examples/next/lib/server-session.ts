import { createServerClient } from "@cogkit/core/server";
import { cookies } from "next/headers";
import { appConfig, serverOptions } from "./cogkit";

/**
 * The request's server client for Server Components: read-only, since they cannot set
 * cookies (the proxy has refreshed the session before the page renders).
 */
export async function readOnlyServer() {
  const store = await cookies();
  return createServerClient(appConfig(), { ...(await serverOptions()), readOnly: true, cookies: { getAll: () => store.getAll() } });
}
