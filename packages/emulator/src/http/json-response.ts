import { createUuid } from "../ids.js";

const amzJson = "application/x-amz-json-1.1";

/** A 200 answer of a JSON 1.1 service operation. */
export function serviceResponse(body: unknown, requestId = createUuid()): Response {
  return new Response(JSON.stringify(body ?? {}), {
    status: 200,
    headers: { "content-type": amzJson, "x-amzn-requestid": requestId },
  });
}

/**
 * A message as an HTTP header value, or undefined when it cannot be one. Messages echo the
 * caller's input (a client id, a username), and a line break or a character beyond Latin-1
 * in a header throws while the response is built or written, which turned a 400 into a
 * 500. Line breaks and tabs become spaces; anything else outside printable ASCII leaves the
 * header out, since clients read headers as Latin-1 and would garble it. The JSON body
 * always keeps the message whole.
 */
function headerMessage(message: string): string | undefined {
  const folded = message.replace(/[\t\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(folded) ? folded : undefined;
}

/** An error answer shaped like Cognito's: `{ __type, message }` plus `x-amzn-ErrorType`. */
export function serviceErrorResponse(error: { type: string; message: string; status: number }, requestId = createUuid()): Response {
  const headers = new Headers({ "content-type": amzJson, "x-amzn-requestid": requestId, "x-amzn-errortype": headerMessage(error.type) ?? "InternalErrorException" });
  const message = headerMessage(error.message);
  if (message !== undefined) headers.set("x-amzn-errormessage", message);
  return new Response(JSON.stringify({ __type: error.type, message: error.message }), { status: error.status, headers });
}

/** A plain JSON answer for the control and well-known endpoints. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
