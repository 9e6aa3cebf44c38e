import { useEffect, useRef, type RefObject } from 'react';

/**
 * Moves keyboard focus to an element once a render has put it on the page: into a row's field when
 * its inline form opens, back to the row's button when it closes, so keyboard users stay in the row.
 * Returns the function that names the element to focus next.
 */
export function useFocusAfterRender(): (target: RefObject<HTMLElement | null>) => void {
  const next = useRef<RefObject<HTMLElement | null> | undefined>(undefined);
  useEffect(() => {
    const el = next.current?.current;
    if (!el) return;
    el.focus();
    next.current = undefined;
  });
  return (target) => {
    next.current = target;
  };
}
