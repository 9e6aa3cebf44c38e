/** A JSON value, pretty-printed and scrollable; `label` names it for screen readers. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const text = value === undefined ? '—' : JSON.stringify(value, null, 2);
  return (
    <pre className="json" role="region" aria-label={label} tabIndex={0}>{text}</pre>
  );
}
