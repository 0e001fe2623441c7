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
export interface Register {}

/**
 * The client type declared in {@link Register}, or a client of any schema.
 *
 * @example
 * const client = useAuth(); // typed as RegisteredClient
 */
export type RegisteredClient = Register extends { client: infer C extends AuthClient<any> } ? C : AuthClient;

/**
 * The attribute schema of a client type.
 *
 * @example
 * type Schema = SchemaOf<typeof client>; // { "custom:is_beta_user": { dataType: "Boolean" }, ... }
 */
export type SchemaOf<C> = C extends AuthClient<infer S> ? S : UserAttributeSchema;
