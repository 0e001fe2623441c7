import { spawn } from "node:child_process";

/**
 * Tries to show `url` in the user's browser, without waiting for it and without a shell (the
 * URL is one argument, never parsed by a shell). `COGKIT_BROWSER`, else `BROWSER`, names the
 * command (its words split on spaces; `%s` stands for the URL, else it is added last; `none`
 * opens nothing); by default `open` on macOS, `rundll32 url.dll,FileProtocolHandler` on
 * Windows (`cmd /c start` would read the URL's `&` as a command separator), `xdg-open`
 * elsewhere. A command that cannot start is ignored: the caller prints the URL anyway.
 *
 * @example
 * openBrowser("https://auth.example.com/oauth2/authorize?…", process.env);
 */
export function openBrowser(url: string, env: Record<string, string | undefined>): void {
  const chosen = (env.COGKIT_BROWSER || env.BROWSER)?.trim();
  if (chosen === "none") return;
  let command: string;
  let args: string[];
  if (chosen) {
    // BROWSER may list several commands separated by colons; the first is tried.
    const words = (env.COGKIT_BROWSER ? chosen : chosen.split(":")[0]!).split(/\s+/).filter(Boolean);
    [command, ...args] = words as [string, ...string[]];
    args = args.some((arg) => arg.includes("%s")) ? args.map((arg) => arg.replaceAll("%s", url)) : [...args, url];
  } else if (process.platform === "darwin") {
    [command, args] = ["open", [url]];
  } else if (process.platform === "win32") {
    [command, args] = ["rundll32", ["url.dll,FileProtocolHandler", url]];
  } else {
    [command, args] = ["xdg-open", [url]];
  }
  try {
    const child = spawn(command, args, { detached: true, stdio: "ignore", env, windowsHide: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // Nothing to open the browser with: the URL is printed for the user.
  }
}
