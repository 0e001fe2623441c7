// Run as its own process by the tests: a script as users write it, awaiting getCredentials()
// at the top level. Node ends such a script with exit code 13 if the await never settles
// because nothing keeps the process alive.
import { getCredentials } from "@cogkit/node";

const credentials = await getCredentials();
process.stdout.write(`${JSON.stringify({ accessKeyId: credentials.accessKeyId, authenticated: credentials.authenticated })}\n`);
