import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { expect, it } from "vitest";

// Edge runtimes (Vercel Edge, Cloudflare Workers, Deno) offer Web APIs and no Node built-ins:
// the server entry, bundled as they bundle it, must need none.
it("bundles @cogkit/core/server for an edge runtime with no Node built-in and no process global", async () => {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("../src/server.ts", import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["edge-light", "worker", "browser", "import"],
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  expect(code).toContain("jwtVerify");
  expect(code).not.toMatch(/["'](node:)?(crypto|fs|path|http|https|net|os|buffer|stream|util|child_process)["']/);
  expect(code).not.toMatch(/\bprocess\.(env|versions|nextTick)/);
});
