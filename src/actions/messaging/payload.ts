import { Type } from '@sinclair/typebox';

/** The message body param shared by the publish actions: a string as it is, anything else as JSON. */
export const PayloadParam = Type.Unknown({
  description: 'Message body: a string is sent as it is (UTF-8); an object, array, number or boolean is sent as JSON',
});

/** Bytes of a payload param, and the content type they are. */
export function encodePayload(payload: unknown): { bytes: Buffer; contentType: string } {
  if (typeof payload === 'string') return { bytes: Buffer.from(payload, 'utf8'), contentType: 'text/plain; charset=utf-8' };
  return { bytes: Buffer.from(JSON.stringify(payload ?? null), 'utf8'), contentType: 'application/json' };
}
