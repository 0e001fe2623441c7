import { parseArgs } from "node:util";

/** The options `cogkit` knows, for every command. */
const options = {
  profile: { type: "string" },
  username: { type: "string" },
  "password-stdin": { type: "boolean" },
  global: { type: "boolean" },
  json: { type: "boolean" },
  id: { type: "boolean" },
  access: { type: "boolean" },
  browser: { type: "boolean" },
  provider: { type: "string" },
  scopes: { type: "string" },
  timeout: { type: "string" },
  set: { type: "string", multiple: true },
  verify: { type: "string" },
  code: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** What {@link parseCommandLine} makes of `argv`: the options given, and each positional with its place. */
export type CommandLine =
  | { ok: true; values: Record<string, string | string[] | boolean | undefined>; positionals: Array<{ value: string; argument: number }> }
  | { ok: false; message: string };

/**
 * Reads `cogkit`'s arguments. A message about a wrong argument names known options, and
 * otherwise only the argument's place (1-based): what was typed in the wrong place may be a
 * password (`cogkit login hunter2`), so it is never repeated.
 *
 * @example
 * parseCommandLine(["login", "--profile", "ci"]) // { ok: true, values: { profile: "ci" }, positionals: [{ value: "login", argument: 1 }] }
 * parseCommandLine(["login", "--hunter2"]) // { ok: false, message: "argument 2 is not an option of cogkit (not shown: it may be a secret)" }
 */
export function parseCommandLine(argv: string[]): CommandLine {
  // Not strict: Node's own messages quote the unknown argument. Each token is checked here.
  const { values, tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const positionals: Array<{ value: string; argument: number }> = [];
  for (const token of tokens) {
    if (token.kind === "positional") {
      positionals.push({ value: token.value, argument: token.index + 1 });
      continue;
    }
    if (token.kind !== "option") continue;
    const known = Object.hasOwn(options, token.name) ? options[token.name as keyof typeof options] : undefined;
    if (!known) return { ok: false, message: `argument ${token.index + 1} is not an option of cogkit (not shown: it may be a secret)` };
    if (known.type === "boolean" && token.value !== undefined) return { ok: false, message: `${token.rawName} takes no value (not shown: it may be a secret)` };
    // `--profile --json` is a forgotten value more often than a profile named "--json".
    if (known.type === "string" && (token.value === undefined || (!token.inlineValue && token.value.startsWith("-")))) {
      return { ok: false, message: `${token.rawName} needs a value (write ${token.rawName}=<value> for one that starts with "-")` };
    }
  }
  return { ok: true, values: values as Record<string, string | string[] | boolean | undefined>, positionals };
}
