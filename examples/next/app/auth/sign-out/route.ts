import { formRoute } from "../../../lib/form-route";

export const POST = formRoute(async (server) => {
  await server.signOut();
  return "/sign-in";
}, "/account");
