/** An execution, node-run, workflow or incident status as a coloured pill (text, never colour alone). */
export function StatusBadge({ status }: { status: string | null | undefined }) {
  const s = status ?? 'none';
  return <span className={`badge badge-${s}`}>{status ?? '—'}</span>;
}
