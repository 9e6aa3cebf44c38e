import { ACTION_CATEGORIES, type ActionCatalog, type AnyAction } from './define-action.js';
import { actionSummary } from './catalog.js';

interface JsonSchemaLike {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchemaLike>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchemaLike;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchemaLike[];
  readonly default?: unknown;
}

const CATEGORY_TITLES: Readonly<Record<(typeof ACTION_CATEGORIES)[number], string>> = {
  incident: 'Incidents', deployment: 'Deployments', infrastructure: 'Infrastructure', communication: 'Communication',
  data: 'Data', utility: 'Utility', monitoring: 'Monitoring and diagnostics', paging: 'Paging and status pages',
  kubernetes: 'Kubernetes', containers: 'Containers', code: 'Code hosting', identity: 'Identity', messaging: 'Messaging',
  files: 'Files', secrets: 'Secrets',
};

/** `string`, `integer`, `"a" | "b"`, `string[]`: a column a reader can scan. */
function typeOf(s: JsonSchemaLike): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return [...new Set(s.anyOf.map(typeOf))].join(' \\| ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  if (Array.isArray(s.type)) return s.type.join(' \\| ');
  return typeof s.type === 'string' ? s.type : 'any';
}

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function fieldTable(schema: JsonSchemaLike, withRequired: boolean): string[] {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return ['(none)'];
  const required = new Set(schema.required ?? []);
  const head = withRequired ? ['| param | type | required | description |', '|---|---|---|---|'] : ['| field | type | description |', '|---|---|---|'];
  return [
    ...head,
    ...props.map(([name, p]) => {
      const desc = cell(p.description) + (p.default !== undefined ? ` (default ${cell(JSON.stringify(p.default))})` : '');
      return withRequired ? `| \`${name}\` | ${typeOf(p)} | ${required.has(name) ? 'yes' : ''} | ${desc} |` : `| \`${name}\` | ${typeOf(p)} | ${desc} |`;
    }),
  ];
}

function section(a: AnyAction): string[] {
  const s = actionSummary(a);
  return [
    `### \`${s.id}\` — ${s.name}`, '', cell(s.description), '',
    '**Params**', '', ...fieldTable(s.params as JsonSchemaLike, true), '',
    '**Output**', '', ...fieldTable(s.output as JsonSchemaLike, false), '',
  ];
}

/**
 * docs/ACTIONS.md, generated from the registry (`npm run docs:actions`): what the API's
 * /automation/actions lists, as a page a reader can search. A test keeps the file equal to this.
 */
export function catalogueMarkdown(actions: ActionCatalog): string {
  const all = [...actions.values()];
  const lines = [
    '# Actions', '',
    '<!-- Generated from the action registry by `npm run docs:actions`; edit the actions, not this file. -->', '',
    `${all.length} built-in actions. In a workflow an action is a node \`{"node_type": "action", "config": {"action_type": "<id>", "params": {...}}}\`;`,
    'params may use `{{ }}` templates except where a param holds code (docs/WORKFLOWS.md). Credentials are referenced by id',
    '(`credential_id`) and never appear in params, logs or outputs. `GET /automation/actions` gives the same catalogue as JSON Schema.', '',
  ];
  for (const c of ACTION_CATEGORIES) {
    const inCategory = all.filter((a) => a.category === c).sort((x, y) => x.id.localeCompare(y.id));
    if (inCategory.length === 0) continue;
    lines.push(`## ${CATEGORY_TITLES[c]}`, '', inCategory.map((a) => `[\`${a.id}\`](#${a.id})`).join(' · '), '');
    for (const a of inCategory) lines.push(...section(a));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
