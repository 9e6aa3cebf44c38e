import type { ActionCatalog, ActionServices } from '../actions/define-action.js';
import type { NodeHandler, NodeRegistry } from '../engine/node-handler.js';
import { actionNode } from './action.js';
import { apiCallNode } from './api-call.js';
import { conditionNode } from './condition.js';
import { delayNode } from './delay.js';
import { errorHandlerNode } from './error-handler.js';
import { loopNode } from './loop.js';
import { parallelNode } from './parallel.js';
import { transformNode } from './transform.js';
import { triggerNode } from './trigger.js';
import { approvalNode } from './approval.js';
import { notificationNode } from './notification.js';
import { scriptNode } from './script.js';
import { databaseNode } from './database.js';

/** `services` reach every handler that does I/O, as they reach actions (ActionServices). */
export function createNodeRegistry(actions: ActionCatalog, services: ActionServices): NodeRegistry {
  const handlers: NodeHandler[] = [
    triggerNode, actionNode(actions, services), conditionNode, loopNode, parallelNode, delayNode, approvalNode(actions),
    notificationNode(actions, services), scriptNode(services), apiCallNode(services), databaseNode(services), transformNode, errorHandlerNode,
  ];
  return new Map(handlers.map((h) => [h.spec.type, h]));
}
