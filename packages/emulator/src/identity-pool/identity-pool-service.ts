import { SignJWT } from "jose";
import { createInputValidator } from "../protocol/validate-input.js";
import type { EmulatorState } from "../emulator-state.js";
import type { EmulatedService } from "../user-pool/user-pool-service.js";
import { chooseRole } from "./choose-role.js";
import { identityForLogins, requireIdentityPool, resolveIdentityCall } from "./resolve-identity.js";

const idPattern = { source: "[\\w-]+:[0-9a-f-]+", test: (v: string) => /^[\w-]+:[0-9a-f-]+$/.test(v) };
const arnPattern = { source: "arn:aws:iam::\\d+:role/.+", test: (v: string) => /^arn:aws[\w-]*:iam::\d+:role\/.+$/.test(v) };

/** How long GetCredentialsForIdentity's credentials last, like Cognito's: one hour. */
export const credentialLifetimeSeconds = 3600;
/** How long GetOpenIdToken's tokens last: ten minutes, Cognito's default. */
export const openIdTokenLifetimeSeconds = 600;

function readLogins(v: ReturnType<typeof createInputValidator>): Record<string, string> | undefined {
  const logins = v.stringMap("Logins", "logins");
  if (logins === undefined) return undefined;
  const count = Object.keys(logins).length;
  if (count > 10) v.problem(`Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10`);
  for (const [key, token] of Object.entries(logins)) {
    if (key.length < 1 || key.length > 128) v.problem(`Value at 'logins' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]`);
    if (token.length < 1 || token.length > 50000) v.problem(`Value at 'logins' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]`);
  }
  return logins;
}

/** `GetId`: the identity for a set of logins, or a new guest identity without them. */
export async function getId(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const identityPoolId = v.string("IdentityPoolId", "identityPoolId", { required: true, minLength: 1, maxLength: 55, pattern: idPattern });
  v.string("AccountId", "accountId", { minLength: 1, maxLength: 15, pattern: { source: "\\d+", test: (s) => /^\d+$/.test(s) } });
  const logins = readLogins(v);
  v.throwIfInvalid();
  requireIdentityPool(state, identityPoolId);
  const identity = await identityForLogins(state, logins);
  return { IdentityId: identity.id };
}

/** `GetCredentialsForIdentity`: one hour of credentials under the chosen role. */
export async function getCredentialsForIdentity(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const identityId = v.string("IdentityId", "identityId", { required: true, minLength: 1, maxLength: 55, pattern: idPattern });
  const customRoleArn = v.string("CustomRoleArn", "customRoleArn", { minLength: 20, maxLength: 2048, pattern: arnPattern });
  const logins = readLogins(v);
  v.throwIfInvalid();
  const pool = requireIdentityPool(state);
  const { identity, logins: verified } = await resolveIdentityCall(state, identityId, logins);
  const roleArn = chooseRole(pool, { logins: verified, customRoleArn });
  const expiration = Math.floor(state.clock.now() / 1000) + credentialLifetimeSeconds;
  const issued = state.credentials.issue({ roleArn, identityId: identity.id, expiresAt: expiration * 1000 });
  return {
    IdentityId: identity.id,
    Credentials: {
      AccessKeyId: issued.accessKeyId,
      SecretKey: issued.secretAccessKey,
      SessionToken: issued.sessionToken,
      Expiration: expiration,
    },
  };
}

/** `GetOpenIdToken`: a Cognito Identity OpenID token for the identity (ten minutes). */
export async function getOpenIdToken(input: Record<string, unknown>, state: EmulatorState) {
  const v = createInputValidator(input);
  const identityId = v.string("IdentityId", "identityId", { required: true, minLength: 1, maxLength: 55, pattern: idPattern });
  const logins = readLogins(v);
  v.throwIfInvalid();
  const pool = requireIdentityPool(state);
  const { identity, logins: verified } = await resolveIdentityCall(state, identityId, logins);
  const key = await state.openIdKey();
  const iat = Math.floor(state.clock.now() / 1000);
  const amr = verified.length > 0 ? ["authenticated", ...new Set(verified.map((l) => l.provider))] : ["unauthenticated"];
  const token = await new SignJWT({ amr, "https://cognito-identity.amazonaws.com/identity-pool-arn": `arn:aws:cognito-identity:${pool.region}:${accountOf(pool.roles.authenticated)}:identitypool/${pool.id}` })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWS" })
    .setIssuer("https://cognito-identity.amazonaws.com")
    .setSubject(identity.id)
    .setAudience(pool.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + openIdTokenLifetimeSeconds)
    .sign(key.privateKey);
  return { IdentityId: identity.id, Token: token };
}

const accountOf = (roleArn: string) => roleArn.split(":")[4] ?? "";

/**
 * The Cognito Identity Pool service (`AWSCognitoIdentityService.*`).
 *
 * @example
 * createEmulatorHandler(state, [userPoolService, identityPoolService]);
 */
export const identityPoolService: EmulatedService = {
  targetPrefix: "AWSCognitoIdentityService",
  operations: {
    GetId: getId,
    GetCredentialsForIdentity: getCredentialsForIdentity,
    GetOpenIdToken: getOpenIdToken,
  },
};
