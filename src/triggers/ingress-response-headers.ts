/**
 * What a workflow may put in the headers of an ingress answer (`shape: http`). Ingress answers come
 * from the UI's origin, so a header there acts on the UI: a cookie would sit beside the session, a
 * CSP or CORS header would loosen what the browser enforces, `Alt-Svc` or `Service-Worker-Allowed`
 * would reroute or take over the origin. Those are refused; everything else (content type, cache,
 * `Location`, custom `X-...` headers) passes. The route adds `Content-Security-Policy: sandbox` and
 * `nosniff` to every ingress answer after this filter, so the workflow cannot override them.
 */

/** Exact names refused (lower case). */
export const DENIED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  // cookies and credentials prompts on the UI origin
  'set-cookie', 'set-cookie2', 'www-authenticate', 'proxy-authenticate', 'clear-site-data',
  // browser security policy of the origin
  'content-security-policy', 'content-security-policy-report-only', 'x-content-security-policy', 'x-webkit-csp',
  'x-frame-options', 'x-content-type-options', 'x-xss-protection', 'referrer-policy', 'permissions-policy', 'feature-policy',
  'cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy', 'origin-agent-cluster',
  'strict-transport-security', 'x-permitted-cross-domain-policies', 'x-dns-prefetch-control',
  // taking over or rerouting the origin
  'service-worker-allowed', 'alt-svc', 'link', 'refresh', 'nel', 'report-to', 'reporting-endpoints',
  // framing of the HTTP message itself (response splitting, desync)
  'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', 'content-encoding',
]);

/** Name prefixes refused: CORS (`access-control-*`) and our own (`x-itw-*`). */
export const DENIED_RESPONSE_HEADER_PREFIXES: readonly string[] = ['access-control-', 'x-itw-'];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Visible ASCII, space and tab: no CR/LF (header injection) and nothing Node would refuse with a 500.
const VALUE = /^[\t\x20-\x7e]*$/;

export function isDeniedResponseHeader(name: string): boolean {
  const n = name.toLowerCase();
  return DENIED_RESPONSE_HEADERS.has(n) || DENIED_RESPONSE_HEADER_PREFIXES.some((p) => n.startsWith(p));
}

/** The headers a workflow asked for, minus the refused ones and any malformed name or value. */
export function allowedResponseHeaders(headers: Readonly<Record<string, string>>): { kept: Record<string, string>; dropped: string[] } {
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || !VALUE.test(value) || isDeniedResponseHeader(name)) dropped.push(name);
    else kept[name] = value;
  }
  return { kept, dropped };
}

/** Set on every ingress answer, errors included: the answer is a sandboxed, opaque-origin document that cannot run script. */
export const INGRESS_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': 'sandbox',
  'x-content-type-options': 'nosniff',
};
