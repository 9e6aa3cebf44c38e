import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { firstRun } from '../api/first-run';
import { useResource } from '../api/use-resource';
import { session } from '../auth/session';

/**
 * Sign in; or, on a server with no users yet, create the first admin (as Grafana and n8n offer),
 * guarded by the one-time token the server printed on its console at first start.
 */
export function LoginPage() {
  // A server that cannot say (an older one) gets the ordinary sign-in form.
  const setup = useResource(() => firstRun.setupNeeded().catch(() => false), []);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const creating = setup.data === true;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (creating) await session.setup(token.trim(), username, password);
      else await session.login(username, password);
    } catch (err) {
      if (creating) setError(err instanceof ApiError && (err.status === 401 || err.status === 403) ? 'That setup token is not the one the server printed.' : errorMessage(err));
      else setError(err instanceof ApiError && err.status === 401 ? 'Wrong username or password.' : errorMessage(err));
      // Someone else finished the setup meanwhile: sign in instead.
      if (creating && err instanceof ApiError && err.status === 409) void setup.reload();
      setBusy(false);
    }
  };

  if (setup.loading && setup.data === undefined) return <main className="login-page" aria-busy="true" />;
  return (
    <main className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>iTechSmart Workflow</span>
        </div>
        <h1 id="login-title">{creating ? 'Create the first admin' : 'Sign in'}</h1>
        {creating ? <p className="small">This server has no users yet. Paste the setup token it printed on its console at start, and choose the admin's name and password.</p> : null}
        {error ? <div className="banner banner-error" role="alert">{error}</div> : null}
        {creating ? (
          <label className="field">
            <span>Setup token</span>
            <input name="token" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
          </label>
        ) : null}
        <label className="field">
          <span>Username</span>
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input name="password" type="password" autoComplete={creating ? 'new-password' : 'current-password'} required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {creating ? (busy ? 'Creating…' : 'Create admin and sign in') : (busy ? 'Signing in…' : 'Sign in')}
        </button>
        {creating ? null : <p className="muted small">Accounts are created by an admin, or with <code>npx itw user create</code>.</p>}
      </form>
    </main>
  );
}
