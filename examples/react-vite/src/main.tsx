import { createAuthClient, createWebStorage, trackDevices } from "@cogkit/core";
import { AuthProvider } from "@cogkit/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import { auth } from "./auth.js";
import { clientConfigOf, loadRuntimeConfig } from "./runtime-config.js";
import "./styles.css";

const runtime = await loadRuntimeConfig().catch((error: unknown) => {
  document.body.textContent = `${String(error)} — start the app with \`pnpm --filter react-vite dev\`, which serves it from the emulator.`;
  throw error;
});
// localStorage: the session survives reloads and is shared by the app's tabs.
const client = createAuthClient(clientConfigOf(auth, runtime), { platform: { storage: createWebStorage("local") } });
// The emulator's pool remembers devices (vite.config.ts): sign-ins confirm and prove this one.
trackDevices(client);

declare module "@cogkit/react" {
  interface Register {
    client: typeof client;
  }
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AuthProvider client={client}>
      <App emulatorUrl={runtime.emulatorUrl} region={runtime.pool.region} />
    </AuthProvider>
  </StrictMode>,
);
