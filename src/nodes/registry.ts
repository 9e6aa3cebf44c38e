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
import { NO_CHILDREN, runWorkflowNode, type ChildStarter } from './run-workflow.js';

/**
 * `services` reach every handler that does I/O, as they reach actions (ActionServices). `children`
 * starts sub-workflows; it is read at run time, since it needs the engine this registry is built for.
 */
export function createNodeRegistry(actions: ActionCatalog, services: ActionServices, children: () => ChildStarter = () => NO_CHILDREN): NodeRegistry {
  const handlers: NodeHandler[] = [
    triggerNode, actionNode(actions, services), conditionNode, loopNode, parallelNode, delayNode, approvalNode(actions),
    notificationNode(actions, services), scriptNode(services), apiCallNode(services), databaseNode(services), transformNode, errorHandlerNode,
    runWorkflowNode(children),
  ];
  return new Map(handlers.map((h) => [h.spec.type, h]));
}
