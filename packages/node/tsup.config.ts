import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  dts: { entry: "src/index.ts" },
  clean: true,
  target: "es2022",
  treeshake: true,
  // ESM chunks keep the CLI's lazy imports lazy: a warm `cogkit credentials` loads only its own code.
  splitting: true,
});
