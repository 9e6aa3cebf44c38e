import type { WaitingApproval } from '../../store/approval-queries.js';
import type { LinkDecision } from './link-signer.js';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Messages and plans are user content: everything shown is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Headers for every link page: nothing loads from elsewhere, the token never leaks as a referrer, nothing is cached. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
button{font:inherit;padding:.5rem 1.25rem;border:0;border-radius:6px;color:#fff;background:#1f6feb;cursor:pointer}
button.reject{background:#cf222e}textarea{width:100%;min-height:4rem;font:inherit}.meta{color:#57606a;font-size:.9rem}</style>
</head><body>${body}</body></html>
`;
}

/** The page a signed link opens: what is asked, what approving does, and one button that answers (POST). */
export function confirmPage(a: WaitingApproval, decision: LinkDecision, by: string): string {
  const verb = decision === 'approve' ? 'Approve' : 'Reject';
  const plan = a.plan.length > 0 ? `<p>Approving will:</p><ul>${a.plan.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  const expires = a.expires_at === null ? '' : ` · expires ${escapeHtml(new Date(a.expires_at).toISOString())}`;
  return page(`${verb}: ${a.message}`, `<h1>${verb}?</h1>
<p>${escapeHtml(a.message)}</p>${plan}
<p class="meta">workflow ${escapeHtml(a.workflow_id)} · execution ${escapeHtml(a.execution_id)} · step ${escapeHtml(a.node_id)}${expires}</p>
<form method="post"><p><label>Comment (optional)<br><textarea name="comment" maxlength="2000"></textarea></label></p>
<p><button type="submit"${decision === 'reject' ? ' class="reject"' : ''}>${verb} as ${escapeHtml(by)}</button></p></form>`);
}

export function resultPage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
