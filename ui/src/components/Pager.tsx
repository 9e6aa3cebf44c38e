/** Previous/next for offset-paged lists, with where you are. */
export function Pager({ offset, limit, total, onOffset }: { offset: number; limit: number; total: number; onOffset: (o: number) => void }) {
  if (total <= limit && offset === 0) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>Previous</button>
      <span className="muted small">{offset + 1}–{Math.min(offset + limit, total)} of {total}</span>
      <button type="button" className="btn btn-small" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>Next</button>
    </nav>
  );
}
