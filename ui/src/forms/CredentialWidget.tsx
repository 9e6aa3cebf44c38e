import type { WidgetProps } from '@rjsf/utils';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Credential } from '../api/types';
import { loadCredentials } from './credentials-cache';

/** Picks a stored credential by name (the config keeps its id); secrets are never in the list. */
export function CredentialWidget(props: WidgetProps) {
  const { id, onChange, required } = props;
  const value: unknown = props.value;
  const [list, setList] = useState<readonly Credential[]>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    let live = true;
    void loadCredentials().then((r) => {
      if (!live) return;
      setList(r.items);
      setFailure(r.error);
    });
    return () => {
      live = false;
    };
  }, []);
  const current = typeof value === 'string' ? value : '';
  const known = list?.some((c) => c.id === current) ?? true;
  return (
    <div className="credential-picker">
      <select id={id} className="form-control" value={current} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} aria-required={required}>
        <option value="">{list === undefined ? 'Loading credentials…' : '— no credential —'}</option>
        {!known && current ? <option value={current}>{current} (not found)</option> : null}
        {(list ?? []).map((c) => (
          <option key={c.id} value={c.id}>{c.name} · {c.type}</option>
        ))}
      </select>
      <div className="field-hint">
        {failure === undefined ? <Link to="/integrations#credentials">Manage credentials</Link> : `Credentials could not be loaded: ${failure}`}
      </div>
    </div>
  );
}
