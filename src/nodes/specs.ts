import type { NodeTypeSpec } from '../model/node-spec.js';
import type { NodeType } from '../model/types.js';
import { actionSpec } from './action.js';
import { apiCallSpec } from './api-call.js';
import { conditionSpec } from './condition.js';
import { delaySpec } from './delay.js';
import { errorHandlerSpec } from './error-handler.js';
import { loopSpec } from './loop.js';
import { parallelSpec } from './parallel.js';
import { transformSpec } from './transform.js';
import { triggerSpec } from './trigger.js';
import { approvalSpec } from './approval.js';
import { databaseNode, notificationNode, scriptNode } from './unavailable.js';

/** Every node type's spec, in the seed's order. */
export const NODE_TYPE_SPECS: ReadonlyMap<NodeType, NodeTypeSpec> = new Map(
  [
    triggerSpec, actionSpec, conditionSpec, loopSpec, parallelSpec, delaySpec, approvalSpec,
    notificationNode.spec, scriptNode.spec, apiCallSpec, databaseNode.spec, transformSpec, errorHandlerSpec,
  ].map((s) => [s.type, s]),
);
