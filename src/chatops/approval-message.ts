/**
 * The Block Kit message an approval is posted as, and what it becomes once answered. Buttons carry
 * the approval's run id as their `value`; Slack sends it back in the interaction payload.
 */

export const APPROVE_ACTION = 'itw_approve';
export const REJECT_ACTION = 'itw_reject';

export type ApprovalOutcome = 'approved' | 'rejected' | 'timeout' | 'cancelled' | 'failed';

export interface ApprovalForSlack {
  readonly run_id: string;
  readonly message: string;
  readonly plan: readonly string[];
  readonly workflow: string;
}

/** Slack's three control characters: approval text from a workflow must not ping `<!channel>` or forge links. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function body(a: ApprovalForSlack): unknown[] {
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*Approval needed* · ${escapeMrkdwn(a.workflow)}\n${escapeMrkdwn(a.message)}`, 3000) } },
  ];
  if (a.plan.length > 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: clip(`If approved: ${a.plan.map(escapeMrkdwn).join('; ')}`, 3000) }] });
  }
  return blocks;
}

export function pendingMessage(a: ApprovalForSlack): { text: string; blocks: unknown[] } {
  return {
    text: clip(`Approval needed: ${escapeMrkdwn(a.message)}`, 3000),
    blocks: [
      ...body(a),
      {
        type: 'actions',
        block_id: 'itw_approval',
        elements: [
          { type: 'button', action_id: APPROVE_ACTION, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: a.run_id },
          { type: 'button', action_id: REJECT_ACTION, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value: a.run_id },
        ],
      },
    ],
  };
}

function outcomeLine(outcome: ApprovalOutcome, by: string | undefined): string {
  const who = by !== undefined ? ` by ${escapeMrkdwn(by)}` : '';
  switch (outcome) {
    case 'approved':
      return `:white_check_mark: Approved${who}`;
    case 'rejected':
      return `:x: Rejected${who}`;
    case 'timeout':
      return ':hourglass: Timed out: nobody answered in time';
    case 'cancelled':
      return ':no_entry_sign: The execution was cancelled';
    case 'failed':
      return ':warning: The execution failed before an answer';
    default: {
      const never: never = outcome;
      return String(never);
    }
  }
}

/** The message without buttons: whoever answered first, in Slack, the UI or by link. */
export function answeredMessage(a: ApprovalForSlack, outcome: ApprovalOutcome, by: string | undefined): { text: string; blocks: unknown[] } {
  const line = outcomeLine(outcome, by);
  return {
    text: clip(`${line}: ${escapeMrkdwn(a.message)}`, 3000),
    blocks: [...body(a), { type: 'context', elements: [{ type: 'mrkdwn', text: line }] }],
  };
}
