import type { AuthClient, UserAttributeSchema } from "@cogkit/core";

/**
 * Declare your client's type here once, and every hook types `user.attributes` from its
 * schema without a type argument.
 *
 * @example
 * declare module "@cogkit/react" {
 *   interface Register {
 *     client: typeof client;
 *   }
 * }
 */
// biome-ignore lint: an interface for declaration merging
export interface Register {}

/** The client type declared in {@link Register}, or a client of any schema. */
export type RegisteredClient = Register extends { client: infer C extends AuthClient<any> } ? C : AuthClient;

/** The attribute schema of a client type. */
export type SchemaOf<C> = C extends AuthClient<infer S> ? S : UserAttributeSchema;
