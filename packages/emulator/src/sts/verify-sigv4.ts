import { createHash, timingSafeEqual } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

/** The parts of a SigV4 `Authorization` header. */
export interface SigV4Authorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

/** Parses a SigV4 `Authorization` header; undefined when it is not one. */
export function parseSigV4Authorization(header: string | null): SigV4Authorization | undefined {
  const m = header === null ? null : authorizationPattern.exec(header.trim());
  if (!m) return undefined;
  const [, accessKeyId, date, region, service, signedHeaders, signature] = m;
  return { accessKeyId: accessKeyId!, date: date!, region: region!, service: service!, signedHeaders: signedHeaders!.split(";"), signature: signature! };
}

/** An STS error a signature's form earns before its maths is checked. */
export interface SigV4ScopeProblem {
  code: "SignatureDoesNotMatch" | "IncompleteSignature";
  message: string;
  status: number;
}

/**
 * What STS says of a signature that is well formed but not made for it: `host` must be a
 * signed header (else a signature could be replayed at another host), and the credential
 * scope must name this service and region. Undefined when it is. STS's own wording,
 * trailing spaces included.
 *
 * @example
 * checkSigV4Scope(authorization, { service: "sts", region: "eu-west-1" }); // undefined, or the error to answer
 */
export function checkSigV4Scope(authorization: SigV4Authorization, expected: { service: string; region: string }): SigV4ScopeProblem | undefined {
  if (!authorization.signedHeaders.includes("host")) {
    return { code: "IncompleteSignature", message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", status: 400 };
  }
  if (authorization.service !== expected.service) {
    return { code: "SignatureDoesNotMatch", message: `Credential should be scoped to correct service: '${expected.service}'. `, status: 403 };
  }
  if (authorization.region !== expected.region) {
    return { code: "SignatureDoesNotMatch", message: `Credential should be scoped to a valid region, not '${authorization.region}'. `, status: 403 };
  }
  return undefined;
}

/** Reads `X-Amz-Date` (`20261126T043000Z`). */
export function parseAmzDate(text: string | null): Date | undefined {
  const m = text === null ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/**
 * Recomputes the SigV4 signature of a request as received, with `@smithy/signature-v4`
 * (the AWS SDK's own signer) and the secret the emulator issued, over exactly the headers
 * the client says it signed; true when it equals the one the client sent. A signed
 * `x-amz-content-sha256` must also be the hash of the body actually received.
 *
 * @example
 * const ok = await verifySigV4({ request, body, authorization, secretAccessKey, sessionToken });
 */
export async function verifySigV4(input: {
  request: Request;
  body: Uint8Array;
  authorization: SigV4Authorization;
  secretAccessKey: string;
  sessionToken: string | undefined;
}): Promise<boolean> {
  const { request, body, authorization } = input;
  const url = new URL(request.url);
  const signingDate = parseAmzDate(request.headers.get("x-amz-date"));
  if (!signingDate || !signingDate.toISOString().replace(/-/g, "").startsWith(authorization.date)) return false;
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) {
    const value = request.headers.get(name) ?? (name === "host" ? url.host : null);
    if (value === null) return false;
    headers[name] = value;
  }
  const claimedHash = headers["x-amz-content-sha256"];
  if (claimedHash !== undefined && claimedHash !== "UNSIGNED-PAYLOAD" && claimedHash !== createHash("sha256").update(body).digest("hex")) return false;
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const held = query[key];
    query[key] = held === undefined ? value : [...(Array.isArray(held) ? held : [held]), value];
  }
  const signer = new SignatureV4({
    service: authorization.service,
    region: authorization.region,
    sha256: Sha256,
    applyChecksum: false,
    credentials: {
      accessKeyId: authorization.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      // Only when the client signed the token header; otherwise the signer would add it.
      ...(input.sessionToken !== undefined && "x-amz-security-token" in headers ? { sessionToken: input.sessionToken } : {}),
    },
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
      body,
    },
    { signingDate, signableHeaders: new Set(authorization.signedHeaders) },
  );
  const expected = parseSigV4Authorization(signed.headers.authorization ?? signed.headers.Authorization ?? null);
  if (!expected || expected.signedHeaders.join(";") !== authorization.signedHeaders.join(";")) return false;
  return timingSafeEqual(Buffer.from(expected.signature), Buffer.from(authorization.signature));
}
