import { SignJWT, generateKeyPair } from "jose";
import type { CryptoKey } from "jose";
import type { AuthDefinition } from "@cogkit/core";
import type { EmulatorClock } from "../control/emulator-clock.js";
import { createOpaqueToken, createUuid } from "../ids.js";
import { invalidLoginToken, verifyLoginJwt } from "./verify-login-jwt.js";

/**
 * What a test asks a fake provider to put in a token.
 *
 * @example
 * const token = await emulator.providers.google.mintToken({ sub: "g-123", email: "ana@example.com" });
 */
export interface MintTokenInput {
  /** The user's id at the provider. */
  sub: string;
  /** Audience (app/client id); the provider's configured one otherwise. A different one is refused. */
  aud?: string;
  email?: string;
  /** Lifetime from the emulator clock; default 3600. Negative makes an already expired token. */
  expiresInSeconds?: number;
  /** More claims for JWT providers. */
  claims?: Record<string, unknown>;
}

/**
 * A fake external identity provider with its own RS256 key (JWT providers) or token table
 * (Facebook and Login with Amazon, whose real tokens are opaque access tokens). The identity
 * pool accepts only tokens it minted, under its `loginKey`.
 *
 * @example
 * const { loginKey } = emulator.providers.facebook; // "graph.facebook.com"
 * const Logins = { [loginKey]: await emulator.providers.facebook.mintToken({ sub: "fb-1" }) };
 */
export interface FakeIdentityProvider {
  /** The key to use in `Logins`, e.g. `accounts.google.com`. */
  readonly loginKey: string;
  /** The audience (client or app id) the identity pool accepts. */
  readonly audience: string;
  /** `iss` of its JWTs (`https://accounts.google.com`); for opaque providers, its URL. */
  readonly issuer: string;
  readonly tokenKind: "jwt" | "opaque";
  /** A token of this provider for the user `input.sub`, which the identity pool accepts under {@link loginKey}. */
  mintToken(input: MintTokenInput): Promise<string>;
}

/**
 * The fake providers the emulator runs: Google, Sign in with Apple, Facebook, Login with
 * Amazon and one generic OIDC issuer (the definition's first `externalProviders.oidc`, or
 * `https://oidc.cogkit.test`). Audiences come from `loginWith.externalProviders`.
 *
 * @example
 * const token = await emulator.providers.oidc.mintToken({ sub: "worker-7" });
 */
export interface FakeIdentityProviders {
  readonly google: FakeIdentityProvider;
  readonly apple: FakeIdentityProvider;
  readonly facebook: FakeIdentityProvider;
  readonly amazon: FakeIdentityProvider;
  readonly oidc: FakeIdentityProvider;
}

/** A fake provider with its verifying side, used inside the emulator. */
export interface VerifyingIdentityProvider extends FakeIdentityProvider {
  /** The provider's user id for a token it minted; NotAuthorizedException otherwise. */
  verify(token: string): Promise<string>;
}

function createJwtProvider(input: { loginKey: string; issuer: string; audience: string; clock: EmulatorClock }): VerifyingIdentityProvider {
  const { loginKey, issuer, audience, clock } = input;
  // Made on first use: most emulators never federate, and RSA key generation is slow.
  let keys: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> | undefined;
  const keyPair = () => (keys ??= generateKeyPair("RS256", { modulusLength: 2048 }));
  const kid = createOpaqueToken(12);
  return {
    loginKey,
    issuer,
    audience,
    tokenKind: "jwt",
    async mintToken({ sub, aud, email, expiresInSeconds = 3600, claims = {} }) {
      const iat = Math.floor(clock.now() / 1000);
      return new SignJWT({ ...claims, ...(email !== undefined ? { email, email_verified: true } : {}) })
        .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
        .setIssuer(issuer)
        .setSubject(sub)
        .setAudience(aud ?? audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresInSeconds)
        .setJti(createUuid())
        .sign((await keyPair()).privateKey);
    },
    async verify(token) {
      const claims = await verifyLoginJwt(token, {
        key: (await keyPair()).publicKey,
        issuers: [issuer, issuer.replace(/^https:\/\//, "")],
        audiences: [audience],
        now: clock.now(),
      });
      return claims.sub;
    },
  };
}

function createOpaqueProvider(input: { loginKey: string; audience: string; prefix: string; clock: EmulatorClock }): VerifyingIdentityProvider {
  const { loginKey, audience, prefix, clock } = input;
  const issued = new Map<string, { sub: string; aud: string; expiresAt: number }>();
  return {
    loginKey,
    issuer: `https://${loginKey}`,
    audience,
    tokenKind: "opaque",
    async mintToken({ sub, aud, expiresInSeconds = 3600 }) {
      const token = `${prefix}${createOpaqueToken(48)}`;
      issued.set(token, { sub, aud: aud ?? audience, expiresAt: clock.now() + expiresInSeconds * 1000 });
      return token;
    },
    async verify(token) {
      const found = issued.get(token);
      if (!found) throw invalidLoginToken("The access token could not be validated by the provider.");
      if (clock.now() >= found.expiresAt) throw invalidLoginToken("The access token has expired.");
      if (found.aud !== audience) throw invalidLoginToken("Incorrect token audience.");
      return found.sub;
    },
  };
}

/**
 * Creates the fake external providers for a definition.
 *
 * @example
 * const providers = createFakeIdentityProviders(definition, clock);
 * const sub = await providers.google.verify(await providers.google.mintToken({ sub: "g-1" }));
 */
export function createFakeIdentityProviders(
  definition: AuthDefinition,
  clock: EmulatorClock,
): { [K in keyof FakeIdentityProviders]: VerifyingIdentityProvider } {
  const external = definition.loginWith?.externalProviders;
  const oidc = external?.oidc?.[0];
  const oidcIssuer = (oidc?.issuerUrl ?? "https://oidc.cogkit.test").replace(/\/+$/, "");
  return {
    google: createJwtProvider({
      loginKey: "accounts.google.com",
      issuer: "https://accounts.google.com",
      audience: external?.google?.clientId ?? "cogkit-emulator.apps.googleusercontent.com",
      clock,
    }),
    apple: createJwtProvider({
      loginKey: "appleid.apple.com",
      issuer: "https://appleid.apple.com",
      audience: external?.signInWithApple?.clientId ?? "test.cogkit.emulator",
      clock,
    }),
    facebook: createOpaqueProvider({ loginKey: "graph.facebook.com", audience: external?.facebook?.clientId ?? "100000000000001", prefix: "EAA", clock }),
    amazon: createOpaqueProvider({
      loginKey: "www.amazon.com",
      audience: external?.loginWithAmazon?.clientId ?? "amzn1.application-oa2-client.cogkitemulator",
      prefix: "Atza|",
      clock,
    }),
    oidc: createJwtProvider({ loginKey: oidcIssuer.replace(/^https?:\/\//, ""), issuer: oidcIssuer, audience: oidc?.clientId ?? "cogkit-emulator", clock }),
  };
}
