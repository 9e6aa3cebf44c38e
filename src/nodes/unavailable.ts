import { Type } from '@sinclair/typebox';
import type { NodeHandler } from '../engine/node-handler.js';
import { NonRetryableError } from '../model/errors.js';
import type { NodeTypeSpec } from '../model/node-spec.js';
import type { NodeType } from '../model/types.js';

/**
 * Node types that are part of the definition format but whose handlers arrive with the actions
 * issue. Validation rejects them (`available: false`); the handler is a guard, never reached.
 */
function unavailable(type: NodeType, label: string, handles: readonly string[], defaultHandle: string | undefined): NodeHandler {
  const spec: NodeTypeSpec = {
    type, label, description: `${label} (not available in this version)`,
    configSchema: Type.Object({}, { additionalProperties: true }),
    handles, defaultHandle, expressionFields: [], available: false,
  };
  return {
    spec,
    inline: false,
    run: () => Promise.reject(new NonRetryableError('node_type_unavailable', `node type "${type}" is not available in this version`)),
  };
}

export const notificationNode = unavailable('notification', 'Notification', ['out', 'error'], 'out');
export const scriptNode = unavailable('script', 'Script', ['out', 'error'], 'out');
export const databaseNode = unavailable('database', 'Database', ['out', 'error'], 'out');
