import type { Client } from 'openapi-fetch';
import { api, ok } from './client';
import type { Me, Workflow } from './types';

/**
 * The first-run routes (issue 13): preflight before activation, activation warnings, and the
 * one-time admin setup. Typed here by their contract until openapi.d.ts is regenerated from a server
 * that has them; the calls go through the same client (session cookie, CSRF token).
 */
export interface PreflightProblem {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly node_id?: string;
  readonly credential_id?: string;
  readonly credential_type?: string;
  /** The ITW_* setting (allow-list) a step needs configured on the server. */
  readonly setting?: string;
}

export interface Preflight {
  readonly problems: readonly PreflightProblem[];
  readonly warnings: readonly PreflightProblem[];
}

type Json<T> = { content: { 'application/json': T } };
type Id = { parameters: { path: { id: string } } };
interface FirstRunPaths {
  '/automation/workflows/{id}/preflight': { get: Id & { responses: { 200: Json<unknown> } } };
  '/automation/workflows/{id}/activate': { post: Id & { responses: { 200: Json<unknown> } } };
  '/auth/setup': {
    get: { responses: { 200: Json<{ needed: boolean }> } };
    post: { requestBody: Json<{ token: string; username: string; password: string }>; responses: { 201: Json<unknown> } };
  };
}

const http = api.http as unknown as Client<FirstRunPaths>;
const id = (value: string) => ({ params: { path: { id: value } } });

export const firstRun = {
  preflight: (wf: string): Promise<Preflight> => ok(http.GET('/automation/workflows/{id}/preflight', id(wf))) as Promise<Preflight>,
  /** Activation; a 422 throws an ApiError whose `problems` are the blocking ones. */
  activate: (wf: string): Promise<Workflow & { warnings?: PreflightProblem[] }> => ok(http.POST('/automation/workflows/{id}/activate', id(wf))) as Promise<Workflow & { warnings?: PreflightProblem[] }>,
  setupNeeded: async (): Promise<boolean> => (await ok(http.GET('/auth/setup'))).needed,
  setup: (token: string, username: string, password: string): Promise<Me> => ok(http.POST('/auth/setup', { body: { token, username, password } })) as Promise<Me>,
};
