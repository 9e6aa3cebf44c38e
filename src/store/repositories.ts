import { ApiKeyRepository } from './api-key-repository.js';
import { ApprovalQueries } from './approval-queries.js';
import type { Store } from './connect.js';
import { ExecutionQueries } from './execution-queries.js';
import { HeldFiringRepository } from './held-firing-repository.js';
import { HostRepository } from './host-repository.js';
import { MetricsQueries } from './metrics-queries.js';
import { SessionRepository } from './session-repository.js';
import { SlackMessageRepository } from './slack-message-repository.js';
import { TemplateRepository } from './template-repository.js';
import { TriggerRepository } from './trigger-repository.js';
import { UserRepository } from './user-repository.js';
import { WorkflowQueries } from './workflow-queries.js';

/** The repositories beyond the engine's port and the workflow draft/version store. */
export interface Repositories {
  readonly workflowQueries: WorkflowQueries;
  readonly executions: ExecutionQueries;
  readonly metrics: MetricsQueries;
  readonly triggers: TriggerRepository;
  readonly templates: TemplateRepository;
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly sessions: SessionRepository;
  /** Approvals waiting for an answer. */
  readonly approvals: ApprovalQueries;
  /** The Slack messages approvals were posted as (ChatOps). */
  readonly slackMessages: SlackMessageRepository;
  /** The host inventory fleet steps run on. */
  readonly hosts: HostRepository;
  /** Debounced trigger events waiting for their quiet period to end. */
  readonly heldFirings: HeldFiringRepository;
}

export function createRepositories(store: Pick<Store, 'db' | 'dialect' | 'settleEffects'>): Repositories {
  const db = store.db;
  const settle = () => store.settleEffects();
  return {
    workflowQueries: new WorkflowQueries(db, store.dialect),
    executions: new ExecutionQueries(db, settle),
    metrics: new MetricsQueries(db, settle),
    triggers: new TriggerRepository(db),
    templates: new TemplateRepository(db),
    users: new UserRepository(db),
    apiKeys: new ApiKeyRepository(db),
    sessions: new SessionRepository(db),
    approvals: new ApprovalQueries(db),
    slackMessages: new SlackMessageRepository(db),
    hosts: new HostRepository(db),
    heldFirings: new HeldFiringRepository(db),
  };
}
