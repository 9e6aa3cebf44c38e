import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { hasRole, session, useMe } from '../auth/session';
import { Toasts } from './Toasts';

const LINKS: readonly { to: string; label: string; admin?: boolean }[] = [
  { to: '/workflows', label: 'Workflows' },
  { to: '/executions', label: 'Executions' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/templates', label: 'Templates' },
  { to: '/integrations', label: 'Integrations' },
  { to: '/hosts', label: 'Hosts' },
  { to: '/dashboard', label: 'Metrics' },
  { to: '/api-keys', label: 'API keys', admin: true },
  { to: '/users', label: 'Users', admin: true },
];

/** The shell around every signed-in page: navigation, who is signed in, the toasts. */
export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <span className="brand" aria-label="iTechSmart Workflow">
          <img src="/favicon.svg" alt="" width={22} height={22} /> iTechSmart Workflow
        </span>
        <span className="topbar-user">
          {me ? <span>{me.name} <span className="muted">({me.role})</span></span> : null}
          <button type="button" className="btn btn-ghost" onClick={() => void session.logout()}>Log out</button>
        </span>
      </header>
      <nav className="sidebar" aria-label="Main">
        <ul>
          {LINKS.filter((l) => !l.admin || hasRole(me, 'admin')).map((l) => (
            <li key={l.to}>
              <NavLink to={l.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>{l.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>{children}</main>
      <Toasts />
    </div>
  );
}
