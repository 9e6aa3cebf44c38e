import type { ReactNode } from 'react';

/** A titled chart; `empty` replaces it with a sentence when there is nothing to draw. */
export function ChartCard({ id, title, empty, children }: { id: string; title: string; empty?: string | false; children: ReactNode }) {
  return (
    <figure className="card chart-card" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="card-title">{title}</figcaption>
      {empty ? <p className="muted small chart-empty">{empty}</p> : <div className="chart-box" data-chart={id}>{children}</div>}
    </figure>
  );
}
