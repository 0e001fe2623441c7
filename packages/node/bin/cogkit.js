#!/usr/bin/env node
// The `cogkit` command. A committed file that loads the build, rather than the build itself,
// so a workspace install links the bin before `dist/` exists.
const cli = new URL("../dist/cli.js", import.meta.url);
import(cli.href).catch((error) => {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || error.url !== cli.href) throw error;
  process.stderr.write("cogkit: @cogkit/node is not built yet: run pnpm build in the cogkit repository\n");
  process.exitCode = 1;
});
