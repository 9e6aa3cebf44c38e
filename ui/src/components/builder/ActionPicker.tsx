import { useId, useState } from 'react';
import type { ActionInfo } from '../../api/types';

/** The searchable action catalogue: type to filter by name, id, category or description. */
export function ActionPicker({ actions, onPick, current }: { actions: readonly ActionInfo[]; onPick: (id: string) => void; current?: string }) {
  const [q, setQ] = useState('');
  const searchId = useId();
  const needle = q.trim().toLowerCase();
  const hits = actions.filter((a) => !needle || `${a.name} ${a.id} ${a.category} ${a.description}`.toLowerCase().includes(needle));
  const categories = [...new Set(hits.map((a) => a.category))].sort();
  return (
    <div className="action-picker">
      <label htmlFor={searchId} className="expr-label">Search actions</label>
      <input id={searchId} type="search" className="form-control" placeholder="e.g. slack, restart, incident" value={q} onChange={(e) => setQ(e.target.value)} />
      <div className="action-picker-list" aria-live="polite">
        {hits.length === 0 ? <p className="muted small">No action matches “{q}”.</p> : null}
        {categories.map((c) => (
          <div key={c}>
            <h4 className="action-category">{c}</h4>
            <ul>
              {hits.filter((a) => a.category === c).map((a) => (
                <li key={a.id}>
                  <button type="button" className={`action-option${a.id === current ? ' is-current' : ''}`} onClick={() => onPick(a.id)} data-action-id={a.id}>
                    <strong>{a.name}</strong>
                    <span className="muted small">{a.description}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </div>
  );
}
