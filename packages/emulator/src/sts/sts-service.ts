import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorState } from "../emulator-state.js";
import { createUuid } from "../ids.js";
import { checkSigV4Scope, parseAmzDate, parseSigV4Authorization, verifySigV4 } from "./verify-sigv4.js";

const namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
/** The session name Cognito gives the roles it assumes for identities. */
export const cognitoSessionName = "CognitoIdentityCredentials";

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

function xmlResponse(body: string, status: number, requestId: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`, {
    status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
  });
}

/** An STS error answer in the Query protocol's XML. */
export function stsErrorResponse(error: { code: string; message: string; status: number }, requestId = createUuid()): Response {
  return xmlResponse(
    `<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${escapeXml(error.code)}</Code>\n    <Message>${escapeXml(error.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>`,
    error.status,
    requestId,
  );
}

const invalidToken = { code: "InvalidClientTokenId", message: "The security token included in the request is invalid.", status: 403 };
const badSignature = {
  code: "SignatureDoesNotMatch",
  message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  status: 403,
};

/** How far a signature's time may be from now, as STS allows. */
export const maxSigningSkewMs = 15 * 60 * 1000;
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/**
 * STS's answer to a signature made too long ago or too far ahead, or undefined when its time
 * is close to the emulator clock or the real one (the signer's clock knows nothing of `advanceTime`).
 */
function staleSignature(signedAt: Date, emulatorNow: number, realNow = Date.now()) {
  const at = signedAt.getTime();
  if (Math.abs(at - emulatorNow) <= maxSigningSkewMs || Math.abs(at - realNow) <= maxSigningSkewMs) return undefined;
  const message =
    at < emulatorNow
      ? `Signature expired: ${amzDate(at)} is now earlier than ${amzDate(emulatorNow - maxSigningSkewMs)} (${amzDate(emulatorNow)} - 15 min.)`
      : `Signature not yet current: ${amzDate(at)} is still later than ${amzDate(emulatorNow + maxSigningSkewMs)} (${amzDate(emulatorNow)} + 15 min.)`;
  return { code: "SignatureDoesNotMatch", message, status: 403 };
}

/** A role's unique id (`AROA…`), stable for its ARN as IAM's is for a role. */
function roleId(roleArn: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const digest = createHash("sha256").update(roleArn).digest();
  return `AROA${Array.from(digest.subarray(0, 17), (byte) => alphabet[byte % 32]).join("")}`;
}

/** True for a request the STS Query endpoint should take: no `X-Amz-Target`, and a form body or an `sts` signature. */
export function isStsRequest(request: Request): boolean {
  if (request.method !== "POST" || request.headers.has("x-amz-target")) return false;
  if (parseSigV4Authorization(request.headers.get("authorization"))?.service === "sts") return true;
  return (request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded");
}

/**
 * STS on the Query protocol, as far as the emulator needs it: `GetCallerIdentity`, signed
 * with SigV4 by credentials from GetCredentialsForIdentity. It answers the assumed role
 * (`arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials`), or STS's own
 * errors for an unknown key (`InvalidClientTokenId`), an expired one (`ExpiredToken`, by the
 * emulator clock), a bad signature or one scoped to another service or region
 * (`SignatureDoesNotMatch`) and one that leaves `host` unsigned (`IncompleteSignature`).
 *
 * @example
 * const response = await handleStsRequest(state, request);
 */
export async function handleStsRequest(state: EmulatorState, request: Request): Promise<Response> {
  const requestId = createUuid();
  const body = new Uint8Array(await request.arrayBuffer());
  const form = new URLSearchParams(new TextDecoder().decode(body));
  const action = form.get("Action") ?? "";
  state.calls.record(action);
  const fault = state.faults.take(action);
  if (fault && fault.delayMs > 0) await sleep(fault.delayMs);
  if (fault?.error) return stsErrorResponse({ code: fault.error.type, message: fault.error.message, status: fault.error.status }, requestId);

  if (action !== "GetCallerIdentity") {
    return stsErrorResponse({ code: "InvalidAction", message: `Could not find operation ${action} for version ${form.get("Version") ?? "NO_VERSION_SPECIFIED"}`, status: 400 }, requestId);
  }
  const authorization = parseSigV4Authorization(request.headers.get("authorization"));
  if (!authorization) {
    return stsErrorResponse({ code: "MissingAuthenticationToken", message: "Request is missing Authentication Token", status: 403 }, requestId);
  }
  const misScoped = checkSigV4Scope(authorization, { service: "sts", region: state.pool.region });
  if (misScoped) return stsErrorResponse(misScoped, requestId);
  const issued = state.credentials.get(authorization.accessKeyId);
  if (!issued || request.headers.get("x-amz-security-token") !== issued.sessionToken) return stsErrorResponse(invalidToken, requestId);
  if (state.clock.now() >= issued.expiresAt) return stsErrorResponse({ code: "ExpiredToken", message: "The security token included in the request is expired", status: 400 }, requestId);
  const valid = await verifySigV4({ request, body, authorization, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken });
  if (!valid) return stsErrorResponse(badSignature, requestId);
  const stale = staleSignature(parseAmzDate(request.headers.get("x-amz-date"))!, state.clock.now());
  if (stale) return stsErrorResponse(stale, requestId);

  const [, , , , account = "", resource = ""] = issued.roleArn.split(":");
  const roleName = resource.slice(resource.lastIndexOf("/") + 1);
  return xmlResponse(
    `<GetCallerIdentityResponse xmlns="${namespace}">\n  <GetCallerIdentityResult>\n    <Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName)}/${cognitoSessionName}</Arn>\n    <UserId>${roleId(issued.roleArn)}:${cognitoSessionName}</UserId>\n    <Account>${account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>`,
    200,
    requestId,
  );
}
