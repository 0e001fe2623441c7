// What `@cogkit/react` adds to an app that already uses `@cogkit/core`: the gzip size of a
// production esbuild bundle using every hook, minus the same app (sign-in, snapshot,
// credentials) without the binding.
// React itself is external in both (the app pays for it either way).
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

// Resolved from the example app, which depends on both packages as any app would.
const app = new URL("../examples/react-vite/", import.meta.url).pathname;
const budget = 1.5 * 1024;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

const core = `
  import { createAuthClient, getCredentials } from "@cogkit/core";
  const client = createAuthClient(window.cogkitConfig);
  window.signIn = (username, password) => client.signIn({ username, password });
  window.watch = (render) => client.subscribe(() => render(client.getSnapshot()));
  window.credentials = () => getCredentials(client);
`;
const withReact = `${core}
  import { createElement } from "react";
  import { AuthProvider, useAuth, useAuthSelector, useCredentials, useUser } from "@cogkit/react";
  function App() {
    const { status, user } = useUser();
    const { signOut } = useAuth();
    const admin = useAuthSelector((s) => s.user?.groups.includes("admin"));
    const { identityId } = useCredentials();
    return createElement("p", { onClick: signOut }, status, user?.username, admin, identityId);
  }
  window.app = createElement(AuthProvider, { client }, createElement(App));
`;

async function gzipOf(source) {
  const output = await build({
    stdin: { contents: source, resolveDir: app, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    external: ["react", "react-dom"],
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return gzipSync(output.outputFiles[0].contents, { level: 9 }).length;
}

/** Prints the cost of `@cogkit/react` on top of core; returns true when it is over budget. */
export async function reportReactCost() {
  const cost = (await gzipOf(withReact)) - (await gzipOf(core));
  const verdict = cost <= budget ? `✓ budget ${kb(budget)}` : `✗ over budget ${kb(budget)}`;
  console.log(`\n@cogkit/react on top of core (esbuild, react external; gzip -9)\n  ${"every hook + AuthProvider".padEnd(34)} ${kb(cost).padStart(9)} gzip  ${verdict}`);
  return cost > budget;
}
