import type { PreflightProblem } from '../../api/first-run';

/** Preflight findings as a list a person can act on: what is wrong, where, and the setting or credential to fix it with. */
export function PreflightList({ items, label }: { items: readonly PreflightProblem[]; label: string }) {
  if (items.length === 0) return null;
  return (
    <ul className="preflight-list" aria-label={label}>
      {items.map((p, i) => (
        <li key={`${p.code}:${p.node_id ?? ''}:${i}`} data-code={p.code}>
          <span>{p.message}</span>
          {p.node_id ? <span className="muted small"> (step <code>{p.node_id}</code>)</span> : null}
          {p.setting ? <div className="small">Set <code>{p.setting}</code> in the server's environment and restart it.</div> : null}
          {p.credential_id ? <div className="small">Create the credential <code>{p.credential_id}</code>{p.credential_type ? <> of type {p.credential_type}</> : null}.</div> : null}
        </li>
      ))}
    </ul>
  );
}
