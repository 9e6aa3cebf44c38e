import { createContext, useContext } from 'react';

export interface EdgeEditing {
  readonly editable: boolean;
  setCondition(edgeId: string, condition: string): void;
}

export const EdgeEditingContext = createContext<EdgeEditing>({ editable: false, setCondition: () => undefined });

export function useEdgeEditing(): EdgeEditing {
  return useContext(EdgeEditingContext);
}
