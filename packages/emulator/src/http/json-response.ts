import { createUuid } from "../ids.js";

const amzJson = "application/x-amz-json-1.1";

/** A 200 answer of a JSON 1.1 service operation. */
export function serviceResponse(body: unknown, requestId = createUuid()): Response {
  return new Response(JSON.stringify(body ?? {}), {
    status: 200,
    headers: { "content-type": amzJson, "x-amzn-requestid": requestId },
  });
}

/** An error answer shaped like Cognito's: `{ __type, message }` plus `x-amzn-ErrorType`. */
export function serviceErrorResponse(error: { type: string; message: string; status: number }, requestId = createUuid()): Response {
  return new Response(JSON.stringify({ __type: error.type, message: error.message }), {
    status: error.status,
    headers: {
      "content-type": amzJson,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": error.type,
      "x-amzn-errormessage": error.message,
    },
  });
}

/** A plain JSON answer for the control and well-known endpoints. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
