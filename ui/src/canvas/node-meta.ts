import type { NodeType } from '../api/types';

export interface NodeMeta {
  readonly label: string;
  /** Accent colour of the node's icon; text never relies on it alone. */
  readonly color: string;
  /** SVG path data in a 24×24 box, drawn as strokes. */
  readonly icon: string;
  readonly group: 'Start' | 'Flow' | 'Work' | 'People';
}

export const NODE_META: Readonly<Record<NodeType, NodeMeta>> = {
  trigger: { label: 'Trigger', color: '#7c3aed', icon: 'M13 2 4 14h7l-1 8 9-12h-7z', group: 'Start' },
  action: { label: 'Action', color: '#2563eb', icon: 'M7 4v16l13-8z', group: 'Work' },
  condition: { label: 'Condition', color: '#d97706', icon: 'M12 2 22 12 12 22 2 12z', group: 'Flow' },
  loop: { label: 'Loop', color: '#0891b2', icon: 'M4 12a8 8 0 0 1 14-5.3M20 12a8 8 0 0 1-14 5.3M18 3v4h-4M6 21v-4h4', group: 'Flow' },
  parallel: { label: 'Parallel', color: '#0d9488', icon: 'M4 6h16M4 12h16M4 18h16', group: 'Flow' },
  delay: { label: 'Delay', color: '#64748b', icon: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3', group: 'Flow' },
  approval: { label: 'Approval', color: '#16a34a', icon: 'M5 12l4 4 10-10', group: 'People' },
  notification: { label: 'Notification', color: '#db2777', icon: 'M6 16v-5a6 6 0 1 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0', group: 'People' },
  script: { label: 'Script', color: '#475569', icon: 'M8 7l-5 5 5 5M16 7l5 5-5 5', group: 'Work' },
  api_call: { label: 'API Call', color: '#4f46e5', icon: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18', group: 'Work' },
  database: { label: 'Database', color: '#9333ea', icon: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3', group: 'Work' },
  transform: { label: 'Transform', color: '#ca8a04', icon: 'M4 7h13l-3-3M20 17H7l3 3', group: 'Work' },
  error_handler: { label: 'Error Handler', color: '#dc2626', icon: 'M12 3 2 21h20zM12 10v5M12 18h.01', group: 'Flow' },
  run_workflow: { label: 'Run Workflow', color: '#0369a1', icon: 'M4 5h7v6H4zM13 13h7v6h-7zM7.5 11v4.5H13', group: 'Work' },
};

/** What a fresh node of each type starts with: enough for the form to show the important fields. */
export const DEFAULT_CONFIG: Readonly<Partial<Record<NodeType, Record<string, unknown>>>> = {
  trigger: { trigger_type: 'manual' },
  condition: { expression: '$input != null' },
  loop: { items: '$input', concurrency: 1 },
  delay: { seconds: 1 },
  approval: { message: 'Please approve', timeout_seconds: 86400 },
  notification: { channel: 'slack', message: 'Hello from iTechSmart Workflow' },
  script: { code: 'return $input;' },
  api_call: { method: 'GET', url: 'https://example.com/health' },
  transform: { expression: '$input' },
  run_workflow: { workflow_id: '', wait: true, version: 'active' },
};
