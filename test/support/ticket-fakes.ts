// Test support: Jira (REST v2/v3) and ServiceNow (Table API) fakes for ticket updates and comments.
import type { ServerResponse } from 'node:http';
import { httpFixture, json, type Recorded } from './http-fixture.js';

export const JIRA_EMAIL = 'ops@example.com';
export const JIRA_TOKEN = 'jira-api-token-ATATT3xFfGF0-update';
export const SN_PASSWORD = 'servicenow-password-upd4te';
export const SN_SYS_ID = '9d385017c611228701d22104cc95c371';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const TRANSITIONS = [
  { id: '11', name: 'Start Progress', to: { name: 'In Progress' } },
  { id: '31', name: 'Resolve', to: { name: 'Done' } },
];

interface JiraIssue { fields: Record<string, unknown>; status: string; comments: unknown[] }
interface SnIncident { number: string; state: string; fields: Record<string, string>; journal: Array<{ field: string; text: string }> }

/**
 * `/jira/rest/api/{2,3}/issue/OPS-24[...]`: edit (PUT → 204), transitions (GET list, POST → 204),
 * comments (POST → 201); v3 takes ADF documents only. `/sn/api/now/table/incident/{sys_id}`: PATCH → 200.
 */
export async function ticketFakes() {
  const jira = new Map<string, JiraIssue>([['OPS-24', { fields: { summary: 'Database down' }, status: 'To Do', comments: [] }]]);
  const incidents = new Map<string, SnIncident>([[SN_SYS_ID, { number: 'INC0010001', state: '1', fields: {}, journal: [] }]]);

  function jiraHandler(req: Recorded, res: ServerResponse): void {
    if (req.headers.authorization !== basic(JIRA_EMAIL, JIRA_TOKEN)) return json(res, 401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
    const m = /^\/jira\/rest\/api\/(2|3)\/issue\/([^/]+)(?:\/(transitions|comment))?$/.exec(req.url);
    const issue = m ? jira.get(decodeURIComponent(m[2]!)) : undefined;
    if (!m || !issue) return json(res, 404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    const v3 = m[1] === '3';
    const body = (req.body ? JSON.parse(req.body) : {}) as Record<string, Record<string, unknown> | undefined>;
    const isText = (value: unknown) => (v3 ? (value as { type?: string } | undefined)?.type === 'doc' : typeof value === 'string');
    if (req.method === 'PUT' && !m[3]) {
      const fields = body['fields'] ?? {};
      const errors: Record<string, string> = {};
      if (fields['description'] !== undefined && !isText(fields['description'])) errors['description'] = 'Operation value must be a string';
      const priority = (fields['priority'] as { name?: string } | undefined)?.name;
      if (priority !== undefined && !['Highest', 'High', 'Medium', 'Low'].includes(priority)) errors['priority'] = `Priority name '${priority}' is not valid`;
      if (Object.keys(errors).length > 0) return json(res, 400, { errorMessages: [], errors });
      Object.assign(issue.fields, fields);
      return void res.writeHead(204).end();
    }
    if (req.method === 'GET' && m[3] === 'transitions') return json(res, 200, { expand: 'transitions', transitions: TRANSITIONS });
    if (req.method === 'POST' && m[3] === 'transitions') {
      const t = TRANSITIONS.find((x) => x.id === (body['transition'] as { id?: string } | undefined)?.id);
      if (!t) return json(res, 400, { errorMessages: ['Transition id is not valid for this issue.'], errors: {} });
      issue.status = t.to.name;
      return void res.writeHead(204).end();
    }
    if (req.method === 'POST' && m[3] === 'comment') {
      if (!isText(body['body'])) return json(res, 400, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
      issue.comments.push(body['body']);
      return json(res, 201, { id: String(10_000 + issue.comments.length), self: `http://jira.example.com/rest/api/2/issue/10000/comment/${10_000 + issue.comments.length}` });
    }
    json(res, 405, { errorMessages: ['Method not allowed'] });
  }

  function serviceNowHandler(req: Recorded, res: ServerResponse): void {
    if (req.headers.authorization !== basic('admin', SN_PASSWORD)) return json(res, 401, { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' });
    const m = /^\/sn\/api\/now\/table\/incident\/([^/?]+)$/.exec(req.url);
    const incident = m ? incidents.get(m[1]!) : undefined;
    if (req.method !== 'PATCH' || !incident) return json(res, 404, { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' });
    const body = JSON.parse(req.body) as Record<string, string>;
    for (const [field, value] of Object.entries(body)) {
      if (field === 'comments' || field === 'work_notes') incident.journal.push({ field, text: value });
      else if (field === 'state') incident.state = value;
      else incident.fields[field] = value;
    }
    json(res, 200, { result: { sys_id: m![1], number: incident.number, state: incident.state, short_description: incident.fields['short_description'] ?? 'Database down' } });
  }

  const fixture = await httpFixture((req, res) => (req.url.startsWith('/jira/') ? jiraHandler(req, res) : serviceNowHandler(req, res)));
  return { ...fixture, jira, incidents };
}
