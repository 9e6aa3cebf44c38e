export const EXECUTION_STATUSES = ['pending', 'running', 'waiting', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const NODE_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const EXECUTION_MODES = ['manual', 'test', 'trigger'] as const;
export type ExecutionMode = (typeof EXECUTION_MODES)[number];

export function isFinalExecutionStatus(s: ExecutionStatus): boolean {
  switch (s) {
    case 'completed':
    case 'failed':
    case 'cancelled':
      return true;
    case 'pending':
    case 'running':
    case 'waiting':
    case 'paused':
      return false;
    default: {
      const never: never = s;
      return never;
    }
  }
}

export function isFinalNodeStatus(s: NodeStatus): boolean {
  switch (s) {
    case 'completed':
    case 'failed':
    case 'skipped':
    case 'cancelled':
      return true;
    case 'pending':
    case 'running':
    case 'waiting':
      return false;
    default: {
      const never: never = s;
      return never;
    }
  }
}
