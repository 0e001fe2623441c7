import type { AttributeUpdate, AuthClient, CustomAttributeDefinition, UserAttributeSchema } from "@cogkit/core";
import { standardAttributeNames } from "@cogkit/core";

/** What `cogkit attributes` was asked to do, its arguments checked. */
export type AttributesRequest =
  | { kind: "print" }
  | { kind: "set"; attributes: Array<[name: string, value: string]>; schema: UserAttributeSchema }
  | { kind: "verify"; attribute: "email" | "phone_number"; code: string | undefined };

const customName = /^custom:\w{1,20}$/;
const standardNames = new Set<string>(Object.values(standardAttributeNames));

/**
 * Reads `cogkit attributes`' options: `--set name=value` (repeatable), or `--verify
 * <attribute>` with `--code`. Returns a message for a wrong one, which repeats no value and
 * no name it does not know: what was typed may be a secret.
 *
 * @example
 * attributesRequest({ set: ["given_name=Ana"] }) // { kind: "set", attributes: [["given_name", "Ana"]], schema: {} }
 */
export function attributesRequest(values: Record<string, unknown>): AttributesRequest | string {
  const set = values.set as string[] | undefined;
  const verify = values.verify as string | undefined;
  const code = values.code as string | undefined;
  if (set !== undefined && verify !== undefined) return "--set and --verify go one at a time";
  if (code !== undefined && verify === undefined) return "--code goes with --verify";
  if (verify !== undefined) {
    if (verify !== "email" && verify !== "phone_number") return "--verify takes email or phone_number (not shown: it may be a secret)";
    return { kind: "verify", attribute: verify, code };
  }
  if (set === undefined) return { kind: "print" };
  const attributes: Array<[string, string]> = [];
  // The CLI knows no app's schema: a custom attribute named here is declared a string, and
  // Cognito checks it against the pool's own schema (its values are strings on the wire).
  const schema: Record<string, CustomAttributeDefinition> = {};
  for (const [index, pair] of set.entries()) {
    const split = pair.indexOf("=");
    const name = split > 0 ? pair.slice(0, split) : "";
    if (!standardNames.has(name) && !customName.test(name)) {
      return `--set number ${index + 1} is not name=value with a standard attribute name or custom:<name> (not shown: it may be a secret)`;
    }
    if (attributes.some(([seen]) => seen === name)) return `--set names ${name} twice`;
    if (customName.test(name)) schema[name] = { dataType: "String" };
    attributes.push([name, pair.slice(split + 1)]);
  }
  return { kind: "set", attributes, schema: schema as UserAttributeSchema };
}

/** How many codes typed on the terminal `--verify` takes. */
const codeTries = 3;

/** Where `cogkit attributes` writes, and how it asks for a missing code. */
export interface AttributesIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  json: boolean;
  /** Asks for the code on a terminal; `undefined` when there is none. */
  askCode: (() => Promise<string>) | undefined;
}

/**
 * Runs a checked {@link AttributesRequest} with a signed-in client: prints the attributes
 * (`name=value` lines, or one JSON object), updates them and says which wait for a code, or
 * verifies an email or phone number with its code. Values are printed only when asked for.
 *
 * @example
 * await runAttributes(core, client, { kind: "print" }, { stdout, stderr, json: false, askCode: undefined });
 */
export async function runAttributes(
  core: typeof import("@cogkit/core"),
  client: AuthClient<any>,
  request: AttributesRequest,
  io: AttributesIo,
): Promise<void> {
  if (request.kind === "print") {
    const attributes = await core.fetchUserAttributes(client);
    const names = Object.keys(attributes).sort();
    if (io.json) io.stdout.write(`${JSON.stringify(Object.fromEntries(names.map((name) => [name, attributes[name]])))}\n`);
    else for (const name of names) io.stdout.write(`${name}=${String(attributes[name])}\n`);
    return;
  }
  if (request.kind === "set") {
    // Names checked above, values all strings: the CLI has no schema types to check them by.
    const result: Record<string, AttributeUpdate> = await core.updateUserAttributes(client, { attributes: Object.fromEntries(request.attributes) as {} });
    if (io.json) {
      io.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    for (const [name] of request.attributes) {
      const update = result[name]!;
      io.stdout.write(
        update.done
          ? `${name}: updated\n`
          : `${name}: waits for the code sent to ${update.codeDelivery.destination ?? "the new value"}: cogkit attributes --verify ${name} --code <code>\n`,
      );
    }
    return;
  }
  if (request.code !== undefined) {
    await core.confirmUserAttribute(client, { attribute: request.attribute, code: request.code });
  } else {
    if (io.askCode === undefined) throw new TypeError("--verify needs --code <code> (or a terminal to ask for it)");
    // A code typed on the terminal is asked again when wrong, as login's codes are.
    for (let attempt = 1; ; attempt++) {
      try {
        await core.confirmUserAttribute(client, { attribute: request.attribute, code: await io.askCode() });
        break;
      } catch (error) {
        if (attempt >= codeTries || !core.isAuthError(error, "ERR_CODE_MISMATCH")) throw error;
        io.stderr.write("Wrong code; try again.\n");
      }
    }
  }
  if (io.json) io.stdout.write(`${JSON.stringify({ [request.attribute]: { verified: true } })}\n`);
  else io.stderr.write(`${request.attribute} verified.\n`);
}
