import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * cogkit's directory in the user's config home: `$XDG_CONFIG_HOME/cogkit`, else
 * `~/.config/cogkit` (a relative `XDG_CONFIG_HOME` is ignored, as the XDG spec says).
 *
 * @example
 * cogkitConfigDir() // "/home/ana/.config/cogkit"
 */
export function cogkitConfigDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".config"), "cogkit");
}

/** A profile or client id made safe as part of a file name. */
export function fileNamePart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, "_");
}
