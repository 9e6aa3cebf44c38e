import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../api/client';
import { credentials, workflows } from '../api/endpoints';
import { firstRun, type Preflight, type PreflightProblem } from '../api/first-run';
import type { Variable, Workflow } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { ActivateDialog, type ActivationCheck } from '../components/builder/ActivateDialog';
import { PreflightList } from '../components/builder/PreflightList';
import { setupGroups } from '../components/builder/setup-groups';
import { useExecutionFollow } from '../components/builder/use-execution-follow';
import { CredentialForm } from '../components/CredentialForm';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { toast } from '../components/toast-store';
import { WorkflowNotFound } from './WorkflowNotFound';

const text = (v: Variable) => (v.default === undefined ? '' : typeof v.default === 'string' ? v.default : JSON.stringify(v.default));

function parse(v: Variable, s: string): unknown {
  if (v.type === 'string') return s;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

/**
 * "Use template" lands here: the variables to fill, the credentials to create (inline), the server
 * settings a step needs (from the preflight), then a test run with its result. Nothing here
 * activates the workflow unless asked to.
 */
export default function WorkflowSetup() {
  const { id = '' } = useParams();
  const wf = useResource(() => workflows.get(id), [id]);
  if (wf.error) return <WorkflowNotFound error={wf.error} onRetry={() => void wf.reload()} />;
  if (!wf.data) return <Loading label="Opening workflow" />;
  return <Setup key={wf.data.id} initial={wf.data} />;
}

function Setup({ initial }: { initial: Workflow }) {
  const [wf, setWf] = useState(initial);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(initial.variables.map((v) => [v.name, text(v)])));
  const pre = useResource(() => firstRun.preflight(initial.id), [initial.id]);
  const [creating, setCreating] = useState<PreflightProblem>();
  const [activation, setActivation] = useState<ActivationCheck>();
  const types = useResource(() => credentials.types(), []);
  const { run, follow } = useExecutionFollow();
  const ids = useId();
  const me = useMe();
  // What the server would refuse is not offered: editors fill and activate, operators run.
  const editable = hasRole(me, 'editor');
  const canRun = hasRole(me, 'operator');

  const recheck = pre.reload;
  const check: Preflight | undefined = pre.data;

  const saveVariables = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const variables = wf.variables.map((v) => ({ ...v, default: parse(v, values[v.name] ?? '') }));
      setWf(await workflows.update(wf.id, { variables, expected_revision: wf.draft_revision }));
      toast('Variables saved', 'success');
      await recheck();
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const testRun = async () => {
    try {
      follow(await workflows.execute(wf.id, { input_data: {}, ...(wf.status === 'active' ? {} : { mode: 'test' as const }) }));
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const activateNow = async () => {
    try {
      const r = await firstRun.activate(wf.id);
      setWf(r);
      setActivation(undefined);
      toast(`Activated: version ${r.active_version ?? ''} is live`, 'success');
    } catch (err) {
      toast(errorMessage(err), 'error');
    }
  };

  const problems = check?.problems ?? [];
  const { credentials: missing, settings, other } = setupGroups(problems);
  const x = run?.execution;
  return (
    <div className="page setup-page">
      <PageHeader
        title={`Set up ${wf.name}`}
        subtitle={<>Fill in the variables, create what its steps need, then try it. <StatusBadge status={wf.status} /></>}
        actions={<Link className="btn" to={`/workflows/${wf.id}`}>Open in builder</Link>}
      />
      <section className="card setup-step" aria-labelledby={`${ids}-vars`}>
        <h2 id={`${ids}-vars`}>1. Variables</h2>
        {wf.variables.length === 0 ? <p className="muted">This workflow has no variables.</p> : (
          <form onSubmit={(e) => void saveVariables(e)} className="setup-vars">
            {wf.variables.map((v) => (
              <label key={v.name} className="field">
                <span><code>{v.name}</code>{v.description ? <span className="muted small"> — {v.description}</span> : null}</span>
                <input readOnly={!editable} value={values[v.name] ?? ''} onChange={(e) => setValues({ ...values, [v.name]: e.target.value })} />
              </label>
            ))}
            {editable ? <div className="form-actions"><button type="submit" className="btn btn-primary">Save variables</button></div> : null}
          </form>
        )}
      </section>
      <section className="card setup-step" aria-labelledby={`${ids}-needs`}>
        <h2 id={`${ids}-needs`}>2. What its steps need</h2>
        <ErrorBanner error={pre.error} />
        {!check && !pre.error ? <Loading label="Checking" /> : null}
        {check && problems.length === 0 ? <p className="setup-ready" role="status">Everything its steps need is in place.</p> : null}
        {missing.length ? (
          <>
            <h3>Credentials to create</h3>
            <ul className="preflight-list" aria-label="Credentials to create">
              {missing.map((p, i) => (
                <li key={`${p.credential_id ?? ''}${i}`}>
                  <span>{p.message}</span>{' '}
                  {creating === p || !editable ? null : <button type="button" className="btn btn-small btn-primary" onClick={() => setCreating(p)}>Create {p.credential_id}</button>}
                  {creating === p && types.data ? (
                    <div className="setup-credential">
                      <CredentialForm
                        types={narrowTypes(types.data.items, p.credential_type)}
                        initial={{ name: p.credential_id ?? '', type: p.credential_type?.split(',')[0]?.trim() }}
                        onCancel={() => setCreating(undefined)}
                        onSubmit={(body) => void credentials.create(body).then(async () => {
                          toast(`Credential ${body.name} created`, 'success');
                          setCreating(undefined);
                          await recheck();
                        }, (err: unknown) => toast(errorMessage(err), 'error'))}
                      />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {settings.length ? (
          <>
            <h3>Server settings</h3>
            <p className="small">These are set where the server runs (environment variables), then the server is restarted:</p>
            <PreflightList items={settings} label="Server settings" />
          </>
        ) : null}
        {other.length ? <><h3>Other problems</h3><PreflightList items={other} label="Other problems" /></> : null}
        {check?.warnings.length ? <><h3>Worth a look</h3><PreflightList items={check.warnings} label="Warnings" /></> : null}
        <button type="button" className="btn btn-small" onClick={() => void recheck()}>Check again</button>
      </section>
      <section className="card setup-step" aria-labelledby={`${ids}-run`}>
        <h2 id={`${ids}-run`}>3. Try it</h2>
        <p className="small">A test run of the saved draft, started by hand: its schedule or webhook is not turned on.</p>
        {canRun ? <button type="button" className="btn btn-run" onClick={() => void testRun()} disabled={run?.live === true}>{run?.live ? 'Running…' : 'Run a test'}</button> : <p className="muted small">An operator can run it.</p>}
        {x ? (
          <div className="setup-result" role="status" aria-label="Test run result">
            <StatusBadge status={x.status} />{' '}
            {x.error ? <span className="error-text">{x.error.message}</span> : null}{' '}
            <Link to={`/executions/${x.id}`}>Open execution {x.id}</Link>
            <ul className="small">
              {[...(run?.runs.values() ?? [])].map((r) => <li key={r.id}><code>{r.node_id}</code> <StatusBadge status={r.status} />{r.error ? ` ${r.error.message}` : ''}</li>)}
            </ul>
          </div>
        ) : null}
      </section>
      <section className="card setup-step" aria-labelledby={`${ids}-on`}>
        <h2 id={`${ids}-on`}>4. Turn it on</h2>
        {wf.status === 'active' ? <p>Active: its triggers fire.</p> : !editable ? <p className="muted small">An editor can activate it.</p> : (
          <>
            <p className="small">Activating starts its triggers. It is checked first; nothing starts while a problem above remains.</p>
            <button type="button" className="btn btn-primary" onClick={() => {
              if (check && (check.problems.length || check.warnings.length)) setActivation(check);
              else void activateNow();
            }}>Activate</button>
          </>
        )}
      </section>
      {activation ? <ActivateDialog check={activation} busy={false} onClose={() => setActivation(undefined)} onActivate={() => void activateNow()} /> : null}
    </div>
  );
}

/** The credential types a step accepts first (preflight names them, comma separated), the rest after. */
function narrowTypes<T extends { type: string }>(all: readonly T[], accepted: string | undefined): readonly T[] {
  const wanted = (accepted ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const fitting = all.filter((t) => wanted.includes(t.type));
  return fitting.length ? fitting : all;
}
