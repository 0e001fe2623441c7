import type { AuthClient } from "../client.js";
import { AuthError } from "../errors.js";
import { contextOf, prepareAuthorizeRequest, type SignInWithRedirectOptions } from "./authorize-request.js";
import { callbackParams, completeCallback, type CompleteSignInResult, popupMessageType } from "./complete-sign-in.js";
import { hostedUiSettings, originOf } from "./hosted-ui-settings.js";
import { type PendingRequest, updateRequests } from "./pending-requests.js";

/** The part of a popup `Window` that {@link signInWithPopup} uses. */
export interface PopupWindow {
  /** True once the user (or the sign-in) closed the popup. */
  readonly closed: boolean;
  /** Closes the popup when the sign-in ends, is aborted or fails. */
  close(): void;
  /** Read to see whether the popup is back on the redirect URI (it throws while on another origin); set to navigate. */
  location: { href: string };
}

/** Options of {@link signInWithPopup}: those of `signInWithRedirect` but `navigate`, and `open`. */
export interface SignInWithPopupOptions extends Omit<SignInWithRedirectOptions, "navigate"> {
  /**
   * Opens the popup, called at once (still inside the click that asked for it, so popup
   * blockers let it through) with `"about:blank"`, which is then sent to the hosted UI.
   * Default: `window.open` (read when called).
   */
  open?: (url: string, target: string, features: string) => PopupWindow | null | undefined;
  /** Aborting closes the popup and rejects with `ERR_ABORTED`. */
  signal?: AbortSignal;
}

/** How often the popup is looked at, in ms (on `platform.clock`). */
const pollMs = 250;

/**
 * Signs in through the hosted UI in a popup, for apps that must not leave the page: the
 * popup goes to the authorize URL (as {@link signInWithRedirect} would), and once it is
 * back on the redirect URI this window closes it and completes the sign-in itself (see
 * {@link completeSignIn}, whose result it resolves to).
 *
 * The redirect URI must be on this page's origin: the popup is seen coming back by reading
 * its `location` (readable again once same-origin), or by the callback page posting its
 * URL here when it calls `completeSignIn` (which, in a popup, hands the callback over
 * instead of completing it: the code is exchanged once, here). A callback page that only
 * calls `completeSignIn`, as for redirects, is enough.
 *
 * A page on the way that sends `Cross-Origin-Opener-Policy: same-origin` makes the browser
 * cut the popup off from this window, which then sees it as closed (`ERR_CANCELED`): where
 * an identity provider does that, use {@link signInWithRedirect}.
 *
 * Rejects with `ERR_POPUP_BLOCKED` when no popup could be opened (call it from a click
 * handler), `ERR_CANCELED` when the user closes the popup, `ERR_TIMEOUT` after 10 minutes
 * (the popup is closed), `ERR_ABORTED` on `signal`, and as {@link completeSignIn} does.
 *
 * @example
 * googleButton.onclick = async () => {
 *   try {
 *     await signInWithPopup(client, { provider: "Google" });
 *   } catch (error) {
 *     if (!isAuthError(error, "ERR_CANCELED")) showError(error);
 *   }
 * };
 */
export function signInWithPopup(client: AuthClient<any>, options: SignInWithPopupOptions = {}): Promise<CompleteSignInResult> {
  const operation = "signInWithPopup";
  const context = contextOf(client, operation);
  const prepare = prepareAuthorizeRequest(context, options, operation);
  const { signal } = options;
  if (signal !== undefined && typeof signal?.aborted !== "boolean") throw new TypeError(`${operation}: \`signal\` must be an AbortSignal`);
  const g = globalThis as {
    open?: SignInWithPopupOptions["open"];
    addEventListener?: (type: "message", listener: (event: MessageEvent) => void) => void;
    removeEventListener?: (type: "message", listener: (event: MessageEvent) => void) => void;
  };
  if (options.open !== undefined && typeof options.open !== "function") throw new TypeError(`${operation}: \`open\` must be a function`);
  const open = options.open ?? (typeof g.open === "function" ? g.open.bind(globalThis) : undefined);
  if (!open) throw new TypeError(`${operation}: no \`window.open\` here: pass \`open\``);
  if (signal?.aborted) return Promise.reject(aborted(signal));
  try {
    // A config the sign-in cannot work with fails before a popup flashes open and shut.
    hostedUiSettings(context.config);
  } catch (error) {
    return Promise.reject(error);
  }
  const popup = open("about:blank", "cogkit-sign-in", "popup,width=480,height=720");
  if (!popup) return Promise.reject(new AuthError("ERR_POPUP_BLOCKED", "The browser blocked the sign-in popup: open it from a click"));
  const { clock } = context.platform;

  return new Promise<CompleteSignInResult>((resolve, reject) => {
    let request: PendingRequest | undefined;
    let timer: unknown;
    let done = false;
    const finish = (outcome: () => Promise<CompleteSignInResult>) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      g.removeEventListener?.("message", onMessage);
      signal?.removeEventListener("abort", onAbort);
      try {
        popup.close();
      } catch {
        // Already gone.
      }
      outcome().then(resolve, reject);
    };
    // A request that will not be completed leaves storage (best effort).
    const forget = (state: string) =>
      updateRequests(context.platform, context.config.userPoolClientId, (requests) => [requests.filter((r) => r.state !== state), undefined]).catch(() => undefined);
    const fail = (error: unknown) =>
      finish(async () => {
        if (request) await forget(request.state);
        throw error;
      });
    const isOurs = (href: string) => {
      try {
        return request !== undefined && callbackParams(new URL(href))?.state === request.state;
      } catch {
        return false;
      }
    };
    const complete = (href: string) => finish(() => completeCallback(client, context, new URL(href), false) as Promise<CompleteSignInResult>);
    // The callback page's `completeSignIn` posting its URL: only from our popup, on the redirect URI's origin.
    function onMessage(event: MessageEvent) {
      const { data } = event;
      if (
        request &&
        event.source === (popup as unknown) &&
        event.origin === originOf(request.redirectUri) &&
        data?.type === popupMessageType &&
        typeof data.url === "string" &&
        isOurs(data.url)
      ) {
        complete(data.url);
      }
    }
    function onAbort() {
      fail(aborted(signal!));
    }
    const watch = () => {
      if (done) return;
      let href: string | undefined;
      try {
        href = popup.location.href;
      } catch {
        // On the hosted UI's origin: not readable until it comes back.
      }
      if (href && isOurs(href)) return complete(href);
      if (popup.closed) return fail(new AuthError("ERR_CANCELED", "The sign-in popup was closed before the sign-in ended"));
      if (clock.now() >= request!.expiresAt) return fail(new AuthError("ERR_TIMEOUT", "The sign-in popup was left open too long"));
      timer = clock.setTimeout(watch, pollMs, { keepAlive: true });
    };
    signal?.addEventListener("abort", onAbort);
    g.addEventListener?.("message", onMessage);
    prepare(true).then(
      (made) => {
        if (done) return void forget(made.request.state);
        request = made.request;
        try {
          popup.location.href = made.url;
        } catch {
          // Closed meanwhile: the first look says so.
        }
        watch();
      },
      (error: unknown) => fail(error),
    );
  });
}

function aborted(signal: AbortSignal): AuthError {
  return new AuthError("ERR_ABORTED", "Aborted", { cause: signal.reason });
}
