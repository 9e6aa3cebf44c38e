import { NonRetryableError } from '../../model/errors.js';

export type ResponseType = 'auto' | 'json' | 'text';

// application/json, application/problem+json, application/vnd.api+json, text/json...
const JSON_MEDIA_TYPE = /^(?:application|text)\/(?:[\w.-]+\+)?json$/i;

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim() ?? '';
}

function charsetOf(contentType: string | undefined): string {
  const match = /;\s*charset="?([\w.:-]+)"?/i.exec(contentType ?? '');
  return match?.[1] ?? 'utf-8';
}

function decodeText(raw: Uint8Array, contentType: string | undefined): string {
  try {
    return new TextDecoder(charsetOf(contentType)).decode(raw);
  } catch {
    // Unknown charset label: UTF-8 is the best guess and never throws.
    return new TextDecoder().decode(raw);
  }
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Turns a response body into the step output value.
 * An empty body is `null` when JSON is expected (a 204 has no JSON to parse) and `''` as text.
 * `json` is strict only for 2xx: an error page in HTML must still surface as an HTTP status error.
 */
export function decodeBody(
  raw: Uint8Array,
  contentType: string | undefined,
  responseType: ResponseType,
  status: number,
  target: string,
): unknown {
  const text = decodeText(raw, contentType);
  if (responseType === 'text') return text;
  const wantsJson = responseType === 'json' || JSON_MEDIA_TYPE.test(mediaType(contentType));
  if (!wantsJson) return text;
  if (text.trim() === '') return null;
  const parsed = tryParseJson(text);
  if (parsed.ok) return parsed.value;
  if (responseType === 'json' && status >= 200 && status < 300) {
    throw new NonRetryableError('invalid_response', `response from ${target} is not valid JSON`, {
      details: { status, body_excerpt: text.slice(0, 500) },
    });
  }
  return text;
}
