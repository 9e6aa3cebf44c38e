import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../api/client';
import { catalogue } from '../api/endpoints';
import type { Template } from '../api/types';
import { useResource } from '../api/use-resource';
import { hasRole, useMe } from '../auth/session';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { GraphPreview } from '../components/GraphPreview';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { toast } from '../components/toast-store';

/** The template gallery: each template's graph at a glance; "Use" makes it a new workflow and opens the builder. */
export default function WorkflowTemplates() {
  const me = useMe();
  const navigate = useNavigate();
  const list = useResource(async () => {
    const r = await catalogue.templates();
    // The list has no graphs; each card needs its template's definition for the preview.
    return Promise.all(r.items.map((t) => catalogue.template(t.id).catch(() => t)));
  }, []);
  const [category, setCategory] = useState('');
  const [busy, setBusy] = useState<string>();
  const use = async (t: Template) => {
    setBusy(t.id);
    try {
      const wf = await catalogue.useTemplate(t.id);
      toast(`Created “${wf.name}” from the template`, 'success');
      // Set-up first: a template names credentials and settings that a new server does not have yet.
      void navigate(`/workflows/${wf.id}/setup`);
    } catch (err) {
      toast(errorMessage(err), 'error');
      setBusy(undefined);
    }
  };
  const items = list.data ?? [];
  const categories = [...new Set(items.map((t) => t.category).filter((c): c is string => !!c))].sort();
  const shown = items.filter((t) => !category || t.category === category);
  return (
    <div className="page">
      <PageHeader title="Templates" subtitle="Ready-made workflows to start from." />
      {categories.length > 1 ? (
        <div className="chips" role="group" aria-label="Filter by category">
          <button type="button" className={category === '' ? 'chip active' : 'chip'} aria-pressed={category === ''} onClick={() => setCategory('')}>All</button>
          {categories.map((c) => <button type="button" key={c} className={category === c ? 'chip active' : 'chip'} aria-pressed={category === c} onClick={() => setCategory(c)}>{c}</button>)}
        </div>
      ) : null}
      <ErrorBanner error={list.error} onRetry={() => void list.reload()} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <EmptyState title="No templates">The server loads templates from its templates directory (ITW_TEMPLATES_DIR) at start.</EmptyState> : null}
      <div className="card-grid template-grid">
        {shown.map((t) => (
          <article key={t.id} className="card template-card" aria-labelledby={`tpl-${t.id}`}>
            <div className="template-preview">
              {t.definition ? <GraphPreview definition={t.definition} label={`Graph of ${t.name}`} /> : <span className="muted small">No preview</span>}
            </div>
            <h2 id={`tpl-${t.id}`} className="card-title">{t.name}</h2>
            <p className="muted small clamp">{t.description ?? ''}</p>
            <p className="small">{t.category ? <span className="tag">{t.category}</span> : null} {t.tags.map((g) => <span key={g} className="tag">{g}</span>)} <span className="muted node-count">{t.node_count} nodes</span></p>
            {hasRole(me, 'editor') ? (
              <button type="button" className="btn btn-primary" onClick={() => void use(t)} disabled={busy !== undefined} aria-label={`Use template ${t.name}`}>
                {busy === t.id ? 'Creating…' : 'Use template'}
              </button>
            ) : null}
          </article>
        ))}
      </div>
    </div>
  );
}
