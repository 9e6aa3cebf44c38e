import { useId, useState } from 'react';
import type { ActionInfo } from '../api/types';
import { CATEGORY_ORDER, CategoryIcon, categoryMeta } from './action-categories';
import { EmptyState } from './EmptyState';
import { SchemaTable } from './SchemaTable';

/** The integration actions by category, each with its parameters and outputs. */
export function ActionCatalogue({ actions }: { actions: readonly ActionInfo[] }) {
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const searchId = useId();
  // In the order the catalogue defines (incidents first, secrets last), not alphabetically.
  const rank = (c: string) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : CATEGORY_ORDER.length);
  const categories = [...new Set(actions.map((a) => a.category))].sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const needle = q.trim().toLowerCase();
  const shown = actions.filter((a) => (!category || a.category === category) && (!needle || `${a.name} ${a.id} ${a.description}`.toLowerCase().includes(needle)));
  return (
    <div>
      <div className="filters" role="search">
        <label htmlFor={searchId} className="sr-only">Search actions</label>
        <input id={searchId} type="search" className="form-control" placeholder="Search actions" value={q} onChange={(e) => setQ(e.target.value)} />
        <div className="chips" role="group" aria-label="Filter by category">
          <button type="button" className={category === '' ? 'chip active' : 'chip'} aria-pressed={category === ''} onClick={() => setCategory('')}>All ({actions.length})</button>
          {categories.map((c) => (
            <button type="button" key={c} className={category === c ? 'chip active' : 'chip'} aria-pressed={category === c} onClick={() => setCategory(c)}>
              {categoryMeta(c).title} ({actions.filter((a) => a.category === c).length})
            </button>
          ))}
        </div>
      </div>
      {shown.length === 0 ? <EmptyState title="No action matches">Try another word or category.</EmptyState> : null}
      {categories.filter((c) => shown.some((a) => a.category === c)).map((c) => (
        <section key={c} aria-label={`${categoryMeta(c).title} actions`}>
          <h2 className="category-title"><CategoryIcon category={c} /> {categoryMeta(c).title}</h2>
          {shown.filter((a) => a.category === c).map((a) => (
            <details key={a.id} className="card action-card">
              <summary>
                <strong>{a.name}</strong> <code className="muted small">{a.id}</code>
                <span className="muted small action-desc">{a.description}</span>
              </summary>
              <SchemaTable schema={a.params} caption="Parameters" />
              <SchemaTable schema={a.output} caption="Outputs" />
            </details>
          ))}
        </section>
      ))}
    </div>
  );
}
