import type { ExecutionRecord } from '../engine/store-port.js';
import { escapeMrkdwn } from './approval-message.js';

const MAX_OUTPUT = 2500;

/** The channel message a slash-command run ends with: status, and the output or the error (bounded). */
export function runResultText(workflow: string, execution: ExecutionRecord, by: string): string {
  const head = `*${escapeMrkdwn(workflow)}* (${execution.id}), run by ${escapeMrkdwn(by)}:`;
  if (execution.status === 'completed') {
    let out = JSON.stringify(execution.output ?? null, null, 2);
    if (out.length > MAX_OUTPUT) out = `${out.slice(0, MAX_OUTPUT)}\n…`;
    return `:white_check_mark: ${head} completed\n\`\`\`${escapeMrkdwn(out.replace(/```/g, "'''"))}\`\`\``;
  }
  const error = execution.error?.message ? `: ${escapeMrkdwn(execution.error.message.slice(0, 500))}` : '';
  return `:x: ${head} ${execution.status}${error}`;
}
