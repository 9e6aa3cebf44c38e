import { useState } from 'react';

/**
 * An error in a table cell: the first lines, and the whole text a click away (never clipped out
 * of reach). Short errors show whole, with nothing to expand.
 */
export function ErrorText({ code, message }: { code: string; message: string }) {
  const [open, setOpen] = useState(false);
  const full = `${code}: ${message}`;
  const long = full.length > 160;
  return (
    <div className={open || !long ? 'error-text-full' : 'error-text-short'} title={long ? full : undefined}>
      <span>{open || !long ? full : `${full.slice(0, 150)}…`}</span>
      {long ? <button type="button" className="link-button small" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? 'Less' : 'More'}</button> : null}
    </div>
  );
}
