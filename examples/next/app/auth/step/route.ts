import { formRoute, nextPage } from "../../../lib/form-route";

export const POST = formRoute(async (server, form) => {
  const { nextStep } = await server.confirmSignIn({ challengeResponse: String(form.get("answer")) });
  return nextPage(nextStep);
}, "/sign-in/step");
