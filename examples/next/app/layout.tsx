import type { ReactNode } from "react";
import { appConfig } from "../lib/cogkit";
import { readOnlyServer } from "../lib/server-session";
import { Providers } from "./providers";

export const metadata = { title: "cogkit × Next.js" };

/**
 * Every page renders with the session the server read, so the browser's first paint (and
 * hydration) already shows who is signed in: no flash of signed-out content.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const snapshot = await (await readOnlyServer()).getSnapshot();
  const { region, userPoolId, userPoolClientId, userPoolEndpoint } = appConfig();
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: "2rem" }}>
        <Providers config={{ region, userPoolId, userPoolClientId, userPoolEndpoint }} snapshot={snapshot} secure={process.env.NODE_ENV === "production" && process.env.COGKIT_INSECURE_COOKIES !== "1"}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
