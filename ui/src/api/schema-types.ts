import type { paths } from './openapi';

/**
 * Types picked out of the generated OpenAPI types (openapi.d.ts) by path and method, so the UI's
 * types can name the server's schemas instead of restating them.
 */
type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON request body an operation takes. */
export type JsonBody<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? NonNullable<B> : never;

/**
 * An object type without its `[key: string]: unknown` (the schemas allow additional properties):
 * the UI reads the named fields, and `Omit` over an index signature would lose them all.
 */
export type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** The JSON body of an operation's answer with status S (200 unless told), its named fields. */
export type JsonAnswer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  Op<P, M> extends { responses: { [K in S]: { content: { 'application/json': infer R } } } } ? Known<R> : never;

/** The query parameters an operation takes. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** The items of a list answer (`{ items: [...] }`). */
export type ItemOf<P extends keyof paths, M extends keyof paths[P]> = JsonAnswer<P, M> extends { items: readonly (infer I)[] } ? Known<I> : never;
