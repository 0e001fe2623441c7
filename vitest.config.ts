import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));
const react19 = fileURLToPath(new URL("./examples/react-vite/node_modules", import.meta.url));

// Tests import the packages by name; point those names at the sources so a test run
// never depends on a stale build. The packaging checks (pnpm release --dry-run, in pnpm lint)
// cover the built output.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cogkit\/core\/aws-sdk$/, replacement: src("core/src/aws-sdk.ts") },
      { find: /^@cogkit\/core\/hosted-ui$/, replacement: src("core/src/hosted-ui.ts") },
      { find: /^@cogkit\/core\/server$/, replacement: src("core/src/server.ts") },
      { find: /^@cogkit\/core\/migrate$/, replacement: src("core/src/migrate.ts") },
      { find: /^@cogkit\/core$/, replacement: src("core/src/index.ts") },
      { find: /^@cogkit\/emulator\/msw$/, replacement: src("emulator/src/msw.ts") },
      { find: /^@cogkit\/emulator$/, replacement: src("emulator/src/index.ts") },
      { find: /^@cogkit\/node$/, replacement: src("node/src/index.ts") },
      { find: /^@cogkit\/react$/, replacement: src("react/src/index.ts") },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ["./test/unhandled-rejection-trap.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "cogkit",
          include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts", "packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "packages/react/test/**/*.test.tsx"],
        },
      },
      {
        // @cogkit/react's tests once more on React 19: the React 18 they resolve by default
        // (packages/react's devDependencies) swapped for the example app's React 19, whose
        // Testing Library copy requires that same React 19.
        extends: true,
        resolve: { alias: [{ find: /^(react|react-dom|@testing-library\/react)(\/.*)?$/, replacement: `${react19}/$1$2` }] },
        test: { name: "react19", include: ["packages/react/test/**/*.test.tsx"], env: { COGKIT_REACT_MAJOR: "19" } },
      },
    ],
  },
});
