// Test helper: a small identity pool behind msw, at the HTTP boundary. It keeps identities,
// links a guest identity to the first login presented with it, merges a guest into the
// identity a login already has (the guest id is then forbidden), and plays queued faults.
import { http, HttpResponse } from "msw";

export const identityPoolEndpoint = "https://identity.cognito.test/";
export const identityPoolId = "eu-west-1:11111111-2222-3333-4444-555555555555";

type Reply = { status: number; body: unknown } | { raw: string; status: number };

interface Identity {
  id: string;
  login: string | null;
  forbidden: boolean;
}

/** The `sub` of a fake JWT, or the token itself for opaque ones. */
function loginOf(logins: Record<string, string> | undefined): string | null {
  if (!logins || Object.keys(logins).length === 0) return null;
  return Object.keys(logins)
    .sort()
    .map((key) => {
      const token = logins[key]!;
      if (token.startsWith("bad")) throw new Error("bad token");
      try {
        return `${key}#${JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sub}`;
      } catch {
        return `${key}#${token}`;
      }
    })
    .join(" ");
}

export function createTestIdentityPool(options: { now: () => number; allowGuests?: boolean }) {
  const identities = new Map<string, Identity>();
  const byLogin = new Map<string, string>();
  const calls: Array<{ operation: string; body: Record<string, any> }> = [];
  const faults: Array<{ operation: string; reply: Reply }> = [];
  let next = 0;
  let keys = 0;

  const error = (type: string, message: string, status = 400) => ({ status, body: { __type: type, message } });
  const create = (login: string | null) => {
    const id = `eu-west-1:0000000${++next}-aaaa-bbbb-cccc-dddddddddddd`;
    identities.set(id, { id, login, forbidden: false });
    if (login) byLogin.set(login, id);
    return id;
  };

  function answer(operation: string, body: Record<string, any>): Reply {
    let login: string | null;
    try {
      login = loginOf(body.Logins);
    } catch {
      return error("NotAuthorizedException", "Invalid login token.");
    }
    if (operation === "GetId") {
      if (body.IdentityPoolId !== identityPoolId) return error("ResourceNotFoundException", "IdentityPool not found");
      if (!login) {
        if (options.allowGuests === false) return error("NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.");
        return { status: 200, body: { IdentityId: create(null) } };
      }
      return { status: 200, body: { IdentityId: byLogin.get(login) ?? create(login) } };
    }
    if (operation === "GetCredentialsForIdentity") {
      const identity = identities.get(body.IdentityId);
      if (!identity) return error("ResourceNotFoundException", `Identity '${body.IdentityId}' not found.`);
      if (identity.forbidden) return error("NotAuthorizedException", `Access to Identity '${identity.id}' is forbidden.`);
      let id = identity.id;
      if (identity.login === null && login) {
        const existing = byLogin.get(login);
        if (existing) {
          identity.forbidden = true; // merged into the login's identity
          id = existing;
        } else {
          identity.login = login;
          byLogin.set(login, id);
        }
      } else if (identity.login !== login) {
        return error("NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.");
      }
      keys++;
      return {
        status: 200,
        body: {
          IdentityId: id,
          Credentials: {
            AccessKeyId: `ASIA${keys}`,
            SecretKey: `secret-${keys}`,
            SessionToken: `session-${keys}`,
            Expiration: Math.floor(options.now() / 1000) + 3600,
          },
        },
      };
    }
    return error("UnknownOperationException", operation);
  }

  const handler = http.post(identityPoolEndpoint, async ({ request }) => {
    const operation = (request.headers.get("x-amz-target") ?? "").replace("AWSCognitoIdentityService.", "");
    const body = (await request.json()) as Record<string, any>;
    calls.push({ operation, body });
    const index = faults.findIndex((fault) => fault.operation === operation);
    const reply = index >= 0 ? faults.splice(index, 1)[0]!.reply : answer(operation, body);
    const headers = { "content-type": "application/x-amz-json-1.1" };
    return "raw" in reply
      ? new HttpResponse(reply.raw, { status: reply.status, headers })
      : HttpResponse.json(reply.body as object, { status: reply.status, headers });
  });

  return {
    handler,
    calls,
    count: (operation?: string) => calls.filter((c) => operation === undefined || c.operation === operation).length,
    /** The next answer to `operation` is `reply` instead of the pool's. */
    fault(operation: string, reply: Reply) {
      faults.push({ operation, reply });
    },
    serviceError(operation: string, type: string, status = 400, message = type) {
      faults.push({ operation, reply: error(type, message, status) });
    },
    deleteIdentity(id: string) {
      identities.delete(id);
    },
    forbid(id: string) {
      identities.get(id)!.forbidden = true;
    },
    identity: (id: string) => identities.get(id),
  };
}
