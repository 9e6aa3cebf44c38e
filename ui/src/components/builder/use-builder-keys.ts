import { useEffect } from 'react';
import type { GraphStore } from '../../canvas/graph-store';
import { toast } from '../toast-store';

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** Editor shortcuts: undo/redo, copy/paste, select all, save. Ignored while typing in a field or a dialog is open. */
export function useBuilderKeys(store: GraphStore, editable: boolean, save: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod || typing(e.target) || document.querySelector('dialog[open]')) return;
      const k = e.key.toLowerCase();
      if (k === 's') {
        e.preventDefault();
        if (editable) save();
        return;
      }
      if (!editable) return;
      if (k === 'z' && !e.shiftKey) store.undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') store.redo();
      else if (k === 'c') {
        const n = store.copy();
        if (n) toast(`Copied ${n} node${n === 1 ? '' : 's'}`);
      } else if (k === 'v') store.paste();
      else if (k === 'a') store.selectAll();
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [store, editable, save]);
}
