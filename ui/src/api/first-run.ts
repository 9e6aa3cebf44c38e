import { api, ok } from './client';
import type { operations } from './openapi';
import type { Me, Workflow } from './types';

/**
 * The first-run routes (issue 13): preflight before activation, activation warnings, and the
 * one-time admin setup. Types come from the generated OpenAPI client types (openapi.d.ts), so a
 * server change that is not regenerated fails the UI's typecheck.
 */
export type Preflight = operations['preflightWorkflow']['responses'][200]['content']['application/json'];
export type PreflightProblem = Preflight['problems'][number];

const http = api.http;
const id = (value: string) => ({ params: { path: { id: value } } });

export const firstRun = {
  preflight: (wf: string): Promise<Preflight> => ok(http.GET('/automation/workflows/{id}/preflight', id(wf))),
  /** Activation; a 422 throws an ApiError whose `problems` are the blocking ones. */
  // The definition's fields are `unknown` in the server schema (see types.ts): the one cast left.
  activate: (wf: string): Promise<Workflow & { warnings?: PreflightProblem[] }> =>
    ok(http.POST('/automation/workflows/{id}/activate', id(wf))) as Promise<Workflow & { warnings?: PreflightProblem[] }>,
  setupNeeded: async (): Promise<boolean> => (await ok(http.GET('/auth/setup'))).needed,
  setup: (token: string, username: string, password: string): Promise<Me> => ok(http.POST('/auth/setup', { body: { token, username, password } })) as Promise<Me>,
};
