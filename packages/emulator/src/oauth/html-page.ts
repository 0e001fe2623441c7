/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A hidden form field. */
export const hiddenField = (name: string, value: string): string => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

/**
 * A whole page of the hosted UI: small, plain, no script (a strict CSP says so), and
 * never cached. `page` names it for tests and people (`data-page` on `<main>`).
 */
export function htmlPage(input: { title: string; page: string; body: string; status?: number; headers?: Record<string, string> }): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.75rem 0}input:not([type=hidden]){display:block;width:100%;padding:.4rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}.fake{background:#fff3cd;padding:.5rem;border:1px solid #e0c36b}</style>
</head>
<body>
<main data-page="${escapeHtml(input.page)}">
${input.body}
</main>
</body>
</html>
`;
  return new Response(html, {
    status: input.status ?? 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      "x-frame-options": "DENY",
      ...input.headers,
    },
  });
}

/**
 * The error page Cognito shows when it must not redirect (unknown client, unregistered
 * redirect URI): `error` is Cognito's code, e.g. `redirect_mismatch`.
 */
export function errorPage(error: string, description: string, status = 400): Response {
  return htmlPage({
    title: "An error was encountered",
    page: "error",
    status,
    body: `<h1>An error was encountered with the requested page.</h1>
<p class="error" role="alert" data-error="${escapeHtml(error)}">${escapeHtml(error)}: ${escapeHtml(description)}</p>`,
  });
}
