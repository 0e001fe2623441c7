import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { cogkitEmulator } from "./cogkit-emulator-plugin.js";

export default defineConfig({
  // A pool that remembers devices on the user's say-so and lets them skip MFA, as the account page shows.
  plugins: [react(), cogkitEmulator({ deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true } })],
  // `await` at the top of main.tsx (the runtime config).
  build: { target: "es2022" },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  // In this workspace @cogkit/react's own folder holds React 18 (its tests); the app's React
  // must be the one copy, as it is when the package comes from npm.
  resolve: { dedupe: ["react", "react-dom"] },
});
