import { formRoute, nextPage } from "../../../lib/form-route";

export const POST = formRoute(async (server, form) => {
  const { nextStep } = await server.signIn({ username: String(form.get("email")), password: String(form.get("password")) });
  return nextPage(nextStep);
}, "/sign-in");
