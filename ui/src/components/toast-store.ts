import { useSyncExternalStore } from 'react';

export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'success' | 'error';
  readonly text: string;
}

let toasts: readonly Toast[] = [];
let next = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

/** Shows a short message in the corner (announced to screen readers); errors stay until dismissed. */
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const t = { id: next++, kind, text };
  toasts = [...toasts.slice(-4), t];
  emit();
  if (kind !== 'error') setTimeout(() => dismiss(t.id), 5000);
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function useToasts(): readonly Toast[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => toasts,
  );
}
