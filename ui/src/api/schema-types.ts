import type { paths } from './openapi';

/**
 * Types picked out of the generated OpenAPI types (openapi.d.ts) by path and method, so the UI's
 * types can name the server's schemas instead of restating them.
 */
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON request body an operation takes. */
export type JsonBody<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? NonNullable<B> : never;

/** The JSON body of an operation's answer with status S (200 unless told). */
export type JsonAnswer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  Op<P, M> extends { responses: { [K in S]: { content: { 'application/json': infer R } } } } ? R : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The items of a list answer (`{ items: [...] }`). */
export type ItemOf<P extends keyof paths, M extends keyof paths[P]> = JsonAnswer<P, M> extends { items: readonly (infer I)[] } ? I : never;
