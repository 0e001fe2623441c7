import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  // Hooks and context only work in client components (React Server Components). No
  // `treeshake`: its rollup pass drops the banner; esbuild output is tree-shaken by apps anyway.
  banner: { js: '"use client";' },
});
