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
import { notificationSpec } from './notification.js';
import { scriptSpec } from './script.js';
import { databaseSpec } from './database.js';
import { runWorkflowSpec } from './run-workflow.js';

/** Every node type's spec, in the seed's order. */
export const NODE_TYPE_SPECS: ReadonlyMap<NodeType, NodeTypeSpec> = new Map(
  [
    triggerSpec, actionSpec, conditionSpec, loopSpec, parallelSpec, delaySpec, approvalSpec,
    notificationSpec, scriptSpec, apiCallSpec, databaseSpec, transformSpec, errorHandlerSpec, runWorkflowSpec,
  ].map((s) => [s.type, s]),
);
