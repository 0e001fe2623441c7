import type { AuthClient } from "./client.js";
import type { ClientContext } from "./client-context.js";

/**
 * The context of each client, for the standalone functions of other entry points
 * (`getCredentials(client)`, `setUpTotp(client, input)`, `@cogkit/core/hosted-ui`): they
 * reach the transport, the platform and the session without the client object carrying
 * them. A module of its own, so that the hosted-UI entry finds a client's context without
 * sharing the client's module (and with it, in a bundler's eyes, all of the client's code).
 */
export const clientContexts = new WeakMap<AuthClient<any>, ClientContext<any>>();
