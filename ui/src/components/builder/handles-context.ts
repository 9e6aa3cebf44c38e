import { createContext, useContext } from 'react';
import { handlesFrom } from '../../canvas/handles';
import type { HandlesOf } from '../../canvas/types';

/** The node types' handles as the server lists them, for every node on the canvas. */
export const HandlesContext = createContext<HandlesOf>(handlesFrom(undefined));

export function useHandles(): HandlesOf {
  return useContext(HandlesContext);
}
