/**
 * The forms a secret travels in once a step has encoded it: an Authorization: Basic header
 * (base64, standard and URL-safe, with and without padding), a query string or form body (URL
 * encoding, `+` for spaces), a JSON document (escaped quotes, backslashes, control characters and
 * non-ASCII). A secret found in any of them is still the secret.
 */
export function encodedForms(secret: string): string[] {
  const b64 = Buffer.from(secret, 'utf8').toString('base64');
  const forms = new Set<string>([
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    encodeURI(secret),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(secret).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ]);
  forms.delete(secret);
  return [...forms];
}
