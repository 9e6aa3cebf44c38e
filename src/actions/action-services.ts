import type { ActionServices } from './define-action.js';
import { DockerSocketAllowList } from './containers/docker-socket-allow-list.js';
import { NO_DEPLOYMENT_LEDGER } from './deployment/deployment-ledger.js';
import { NO_EVENTS } from './events/event-emitter-port.js';
import { NO_FLEET } from './fleet/fleet-ports.js';
import type { EgressGuard } from './http/egress-guard.js';
import { NO_INCIDENTS } from './incident/incident-port.js';
import { ServiceAllowList } from './infrastructure/service-allow-list.js';
import { stepSandbox } from './process/sandbox-policy.js';
import { silentLogger } from '../model/logger.js';

/**
 * Services for steps run outside an app (dry runs, embedding, unit tests): no store behind the
 * ledger, incidents, events or host inventory (their calls fail clearly), nothing restartable, no Docker socket, the default sandbox
 * policy and a silent logger. The egress guard has no default: whoever runs steps says which policy
 * their connections follow.
 */
export function standaloneServices(services: Partial<ActionServices> & { readonly egress: EgressGuard }): ActionServices {
  return {
    sandbox: stepSandbox(undefined, { egressGuarded: services.egress.blockPrivate }),
    serviceControl: new ServiceAllowList(undefined),
    dockerSockets: new DockerSocketAllowList([]),
    deployments: NO_DEPLOYMENT_LEDGER,
    incidents: NO_INCIDENTS,
    events: NO_EVENTS,
    logger: silentLogger,
    fleet: NO_FLEET,
    ...services,
  };
}
