import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/aws-sdk.ts", "src/hosted-ui.ts", "src/server.ts", "src/migrate.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  treeshake: true,
  // Split for require() too, so `@cogkit/core/hosted-ui` and the main entry share one copy of
  // the code they both use (the registry of clients among it) in CommonJS as in ESM.
  splitting: true,
});
