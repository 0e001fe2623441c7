// The "browser" of the login --browser tests (COGKIT_BROWSER): it opens nothing, and notes the
// URL it was given in the file COGKIT_TEST_OPENED names, so a test sees what a browser would get.
import { appendFileSync } from "node:fs";

appendFileSync(process.env.COGKIT_TEST_OPENED!, `${process.argv.slice(2).join(" ")}\n`);
