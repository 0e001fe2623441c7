"use client";
import { type AuthConfig, type AuthSnapshot, createAuthClient, createCookieStorage } from "@cogkit/core";
import { AuthProvider, useUser } from "@cogkit/react";
import { type ReactNode, useState } from "react";
import { auth } from "../auth.mjs";

/**
 * The browser's client over the same cookies the server writes, started from the snapshot
 * the server rendered: until it has read the cookies, the hooks answer with that snapshot.
 */
export function Providers(props: { config: Pick<AuthConfig, "region" | "userPoolId" | "userPoolClientId" | "userPoolEndpoint">; snapshot: AuthSnapshot; secure: boolean; children: ReactNode }) {
  const [client] = useState(() => createAuthClient({ ...auth, ...props.config }, { platform: { storage: createCookieStorage({ secure: props.secure, expiresDays: 30 }) } }));
  return (
    <AuthProvider client={client} initialSnapshot={props.snapshot}>
      <SessionBadge />
      {/* A fragment: @cogkit/react's types take any React's nodes. */}
      <>{props.children}</>
    </AuthProvider>
  );
}

/** The session as the browser's client sees it. */
function SessionBadge() {
  const { status, user } = useUser();
  return (
    <p>
      Session: <strong data-testid="status">{status}</strong>
      {user ? <span data-testid="who"> · {String(user.attributes.email)}</span> : null}
    </p>
  );
}
