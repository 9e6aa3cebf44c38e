import type { EditorEdge } from '../../canvas/types';
import { ExpressionInput } from './ExpressionInput';

/** The selected edge: where it goes, from which handle, and its condition (JSONata on the source's output). */
export function EdgeEditor({ edge, editable, onCondition, onDelete }: { edge: EditorEdge; editable: boolean; onCondition: (c: string) => void; onDelete: () => void }) {
  return (
    <section className="edge-editor" aria-label="Edge settings">
      <h2 className="panel-title">Edge</h2>
      <p><code>{edge.source}</code> <span className="tag">{edge.sourceHandle}</span> → <code>{edge.target}</code></p>
      {edge.data.problems ? <div className="banner banner-error" role="alert">{edge.data.problems.join('; ')}</div> : null}
      {editable ? (
        <ExpressionInput label="Condition (fires only when true; empty = always)" value={edge.data.condition ?? ''} onChange={onCondition} allowEmpty multiline />
      ) : <p>Condition: <code>{edge.data.condition ?? 'none'}</code></p>}
      <p className="muted small"><code>$input</code> is the source node's output.</p>
      {editable ? <button type="button" className="btn btn-danger btn-small" onClick={onDelete}>Delete edge</button> : null}
    </section>
  );
}
