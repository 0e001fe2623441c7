// What `@cogkit/react` adds to an app that already uses `@cogkit/core`: the gzip size of a
// production esbuild bundle using every hook, minus the same app (sign-in, snapshot,
// credentials) without the binding — what the page loads first; the parts loaded on first
// use are listed apart.
// React itself is external in both (the app pays for it either way).
import { measureSource } from "./bundle-size.mjs";

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

// As an app loads it: the entry and its static chunks (see measureSource), React external.
const measure = (source, label) => measureSource(source, label, { resolveDir: app, external: ["react", "react-dom"] });

/** Prints the cost of `@cogkit/react` on top of core; returns true when it is over budget. */
export async function reportReactCost() {
  const [withBinding, without] = [await measure(withReact, "react-binding"), await measure(core, "react-core")];
  const cost = withBinding.gzip - without.gzip;
  const verdict = cost <= budget ? `✓ budget ${kb(budget)}` : `✗ over budget ${kb(budget)}`;
  // What the binding loads only when called: the hosted UI behind useAuth()'s redirect functions.
  const known = new Set(without.onDemand.map((part) => part.name));
  const extra = withBinding.onDemand.filter((part) => !known.has(part.name)).map((part) => `${part.name} +${kb(part.gzip)}`);
  console.log(`\n@cogkit/react on top of core (esbuild, react external; gzip -9)\n  ${"every hook + AuthProvider".padEnd(34)} ${kb(cost).padStart(9)} gzip  ${verdict}`);
  if (extra.length > 0) console.log(`${" ".repeat(47)}loaded on first use: ${extra.join(", ")}`);
  return cost > budget;
}
