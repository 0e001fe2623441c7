import type { AuthClient } from "../client.js";
import { clientContexts } from "../client-contexts.js";
import { isAuthError } from "../errors.js";
import { type AwsCredentials, type CredentialsManager, createCredentialsManager, type GetCredentialsOptions } from "./credentials-manager.js";
import { type FederatedProvider, federatedLoginKey, type Logins, userPoolLoginKey } from "./logins.js";

/** What {@link federate} takes: a provider's token, and optionally the role to ask for. */
export interface FederateInput {
  provider: FederatedProvider;
  /** The provider's token: an id token (Google, Apple, OIDC) or access token (Amazon, Facebook). */
  token: string;
  customRoleArn?: string;
}

interface Link {
  manager: CredentialsManager;
  federated?: Logins;
  customRoleArn?: string;
}

// One credentials manager per client, made on first use, so an app that never asks for
// credentials pays nothing for them (not even bytes: these functions tree-shake away).
const links = new WeakMap<AuthClient<any>, Link>();

function linkOf(client: AuthClient<any>): Link {
  let link = links.get(client);
  if (link) return link;
  const context = clientContexts.get(client);
  if (!context) throw new TypeError("expected a client made by createAuthClient");
  const { config, session } = context;
  const poolKey = userPoolLoginKey(config.region, config.userPoolId);
  const created: Link = {
    manager: createCredentialsManager({
      config,
      transport: context.transport,
      platform: context.platform,
      async getLogins() {
        if (created.federated) return created.federated;
        // Known to be signed out: no need for getTokens to build (and us to catch) an error per call.
        if (session.getState().status === "signedOut") return undefined;
        try {
          // The session's raw tokens (fresh, refreshed when due): no JWT decoding on a cached call.
          return { [poolKey]: (await session.getTokens()).idToken };
        } catch (error) {
          if (isAuthError(error, "ERR_NOT_SIGNED_IN")) return undefined;
          throw error;
        }
      },
    }),
  };
  links.set(client, (link = created));
  // Sign-out (here or in another tab) ends the user's identity too: the next credentials
  // are a fresh guest's. A federated identity is not the user pool's to end.
  session.subscribe((update) => {
    if ((update.type === "signedOut" || update.type === "sessionExpired") && !created.federated) {
      void created.manager.clear({ identity: true });
    }
  });
  return link;
}

/**
 * AWS credentials from the client's identity pool: the signed-in user's (their id token as
 * the user pool login), a federated user's (see {@link federate}), or a guest's when nobody
 * is signed in and `allowGuestAccess` is on. Cached until Cognito's `Expiration` minus
 * 5 minutes; concurrent callers share one request. Fits the AWS SDK v3 `credentials` option.
 *
 * @example
 * const s3 = new S3Client({ region, credentials: () => getCredentials(client) });
 * const { identityId, authenticated } = await getCredentials(client);
 */
export function getCredentials(client: AuthClient<any>, options: GetCredentialsOptions = {}): Promise<AwsCredentials> {
  const link = linkOf(client);
  return link.manager.getCredentials({ ...options, customRoleArn: options.customRoleArn ?? link.customRoleArn });
}

/**
 * The identity pool identity id of whoever {@link getCredentials} would serve; from memory
 * or storage when known, without a request.
 *
 * @example
 * const identityId = await getIdentityId(client); // "eu-west-1:6c1f…"
 */
export function getIdentityId(client: AuthClient<any>, options: Pick<GetCredentialsOptions, "signal"> = {}): Promise<string> {
  return linkOf(client).manager.getIdentityId(options);
}

/**
 * Signs in to the identity pool alone with a token from Google, Apple, Amazon, Facebook or
 * an OIDC issuer, and returns the credentials. A guest identity on this device is carried
 * into it. The token is kept in memory only (it cannot be refreshed here): call `federate`
 * again with a new one, or {@link clearFederation}. While federated, the user pool session
 * does not decide the credentials.
 *
 * @example
 * const credentials = await federate(client, { provider: "google", token: googleIdToken });
 * await federate(client, { provider: { oidc: "login.example.com" }, token });
 */
export function federate(client: AuthClient<any>, input: FederateInput): Promise<AwsCredentials> {
  // Misuse throws at once (not as a rejection).
  const key = federatedLoginKey(input?.provider);
  if (typeof input.token !== "string" || input.token === "") throw new TypeError("federate needs the provider's `token`");
  const link = linkOf(client);
  const previous = { federated: link.federated, customRoleArn: link.customRoleArn };
  link.federated = { [key]: input.token };
  link.customRoleArn = input.customRoleArn;
  return getCredentials(client).catch((error: unknown) => {
    Object.assign(link, previous);
    throw error;
  });
}

/**
 * Ends a {@link federate} sign-in: its credentials and identity id are forgotten, and the
 * next credentials are the user pool user's, or a fresh guest's.
 *
 * @example
 * await clearFederation(client);
 */
export async function clearFederation(client: AuthClient<any>): Promise<void> {
  const link = linkOf(client);
  if (!link.federated) return;
  link.federated = undefined;
  link.customRoleArn = undefined;
  await link.manager.clear({ identity: true });
}
