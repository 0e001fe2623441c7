// Bundle-size figures: what a browser app pays, measured the way an app would build it
// (esbuild, browser platform, minified, tree-shaken) from the *built* packages.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

/** The bundles we measure; `budget` is in gzip bytes and checked by `pnpm bench:check`. */
export const bundles = [
  {
    name: "sign-in, fetch transport",
    budget: 8 * 1024,
    source: `
      import { createAuthClient } from "@cogkit/core";
      const client = createAuthClient(window.cogkitConfig);
      window.signIn = (username, password) => client.signIn({ username, password });
    `,
  },
  {
    // Credentials are standalone functions, so the sign-in row above does not pay for them.
    name: "sign-in + getCredentials, fetch transport",
    budget: 10 * 1024,
    source: `
      import { createAuthClient, getCredentials } from "@cogkit/core";
      const client = createAuthClient(window.cogkitConfig);
      window.signIn = (username, password) => client.signIn({ username, password });
      window.getCredentials = () => getCredentials(client);
    `,
  },
  {
    name: "sign-in, AWS SDK transport",
    source: `
      import { createAuthClient } from "@cogkit/core";
      import { createAwsSdkTransport } from "@cogkit/core/aws-sdk";
      const client = createAuthClient(window.cogkitConfig, { transport: createAwsSdkTransport(window.cogkitConfig) });
      window.signIn = (username, password) => client.signIn({ username, password });
    `,
  },
];

/** Returns `{ name, minified, gzip, budget }` per bundle. */
export async function measureBundles() {
  const results = [];
  for (const bundle of bundles) {
    const output = await build({
      stdin: { contents: bundle.source, resolveDir: root, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
      define: { "process.env.NODE_ENV": '"production"' },
    });
    const code = output.outputFiles[0].contents;
    results.push({ name: bundle.name, minified: code.length, gzip: gzipSync(code, { level: 9 }).length, budget: bundle.budget });
  }
  return results;
}
