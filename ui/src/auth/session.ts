import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { auth } from '../api/endpoints';
import { firstRun } from '../api/first-run';
import { ROLES, type Me, type Role } from '../api/types';

export type SessionState = { readonly status: 'loading' } | { readonly status: 'anonymous' } | { readonly status: 'signed-in'; readonly me: Me };

/** Who is signed in: a small store outside React, so the API client can end the session on a 401. */
class SessionStore {
  private state: SessionState = { status: 'loading' };
  private readonly listeners = new Set<() => void>();

  constructor() {
    api.onUnauthorized(() => this.set({ status: 'anonymous' }));
  }

  get = (): SessionState => this.state;

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  async check(): Promise<void> {
    try {
      this.signIn(await auth.me());
    } catch {
      this.set({ status: 'anonymous' });
    }
  }

  async login(username: string, password: string): Promise<void> {
    this.signIn(await auth.login(username, password));
  }

  /** The one-time first-admin setup: creates the admin and signs them in, as a login does. */
  async setup(token: string, username: string, password: string): Promise<void> {
    this.signIn(await firstRun.setup(token, username, password));
  }

  async logout(): Promise<void> {
    try {
      await auth.logout();
    } finally {
      api.setCsrfToken(undefined);
      this.set({ status: 'anonymous' });
    }
  }

  private signIn(me: Me): void {
    api.setCsrfToken(me.csrf_token);
    this.set({ status: 'signed-in', me });
  }

  private set(s: SessionState): void {
    this.state = s;
    for (const l of this.listeners) l();
  }
}

export const session = new SessionStore();

export function useSession(): SessionState {
  return useSyncExternalStore(session.subscribe, session.get);
}

/** True when the signed-in principal has at least `min` (roles are ordered: viewer < operator < editor < admin). */
export function hasRole(me: Me | undefined, min: Role): boolean {
  return me !== undefined && ROLES.indexOf(me.role) >= ROLES.indexOf(min);
}

export function useMe(): Me | undefined {
  const s = useSession();
  return s.status === 'signed-in' ? s.me : undefined;
}
