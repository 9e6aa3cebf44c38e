import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { validationCatalog } from '../app.js';
import { loadRemoteServerConfig } from '../config/config.js';
import { ItwError } from '../model/errors.js';
import { parseDefinitionText } from '../model/parse-definition.js';
import { EXIT } from './cli-errors.js';
import { definitionYaml } from './gitops/canonical-definition.js';
import { formatPlan, hasChanges, makePlan, type PlanItem } from './gitops/plan.js';
import { ServerClient } from './gitops/server-client.js';
import { readWorkflowDir, slugOf, WORKFLOW_FILE } from './gitops/workflow-files.js';
import type { CliIo } from './io.js';
import { GITOPS_HELP } from './help-texts.js';

function args(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv], allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, activate: { type: 'boolean' }, prune: { type: 'boolean' } },
  });
  return { ...values, dir: positionals.length === 1 ? positionals[0] : undefined };
}

function client(io: CliIo): ServerClient {
  return new ServerClient(loadRemoteServerConfig(io.env));
}

/** Names of the workflows already in DIR's files, so a pull rewrites the file a workflow lives in. */
async function filesByName(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const f of names.filter((n) => WORKFLOW_FILE.test(n))) {
    const parsed = parseDefinitionText(await readFile(join(dir, f), 'utf8'), f);
    const name = parsed.ok ? (parsed.value as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && !out.has(name)) out.set(name, f);
  }
  return out;
}

export async function pullCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const a = args(argv);
  if (a.help) return io.out(GITOPS_HELP), EXIT.ok;
  if (!a.dir || a.activate || a.prune) return io.err(GITOPS_HELP), EXIT.usage;
  const server = client(io);
  const remote = await server.list();
  await mkdir(a.dir, { recursive: true });
  const existing = await filesByName(a.dir);
  const taken = new Set(existing.values());
  const seen = new Set<string>();
  for (const wf of remote) {
    if (seen.has(wf.name)) {
      io.err(`itw pull: skipped ${wf.id}: another workflow is also named "${wf.name}" (names identify workflows in files: rename one)`);
      continue;
    }
    seen.add(wf.name);
    let file = existing.get(wf.name);
    if (file === undefined) {
      const base = slugOf(wf.name);
      file = `${base}.yaml`;
      for (let n = 2; taken.has(file); n++) file = `${base}-${n}.yaml`;
      taken.add(file);
    }
    await writeFile(join(a.dir, file), definitionYaml(await server.definition(wf.id)));
    io.out(`pulled ${wf.name} → ${join(a.dir, file)}`);
  }
  for (const [name, file] of existing) if (!seen.has(name)) io.out(`kept ${join(a.dir, file)}: "${name}" is not on the server`);
  return EXIT.ok;
}

async function planFor(dir: string, io: CliIo, prune: boolean): Promise<{ items: PlanItem[]; server: ServerClient } | { problems: string[] }> {
  const catalog = validationCatalog();
  const { workflows, problems } = await readWorkflowDir(dir, catalog);
  if (problems.length > 0) return { problems };
  const server = client(io);
  const items = await makePlan(workflows, await server.list(), (id) => server.definition(id), catalog);
  for (const line of formatPlan(items, prune)) io.out(line);
  return { items, server };
}

export async function diffCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const a = args(argv);
  if (a.help) return io.out(GITOPS_HELP), EXIT.ok;
  if (!a.dir || a.activate) return io.err(GITOPS_HELP), EXIT.usage;
  const plan = await planFor(a.dir, io, a.prune === true);
  if ('problems' in plan) {
    for (const p of plan.problems) io.err(p);
    // 2 means "changes" here: an invalid file is an error.
    return EXIT.failed;
  }
  return hasChanges(plan.items, a.prune === true) ? 2 : EXIT.ok;
}

const HEADER_DEFAULTS: Record<string, unknown> = { description: '', category: '', tags: [], settings: {}, variables: [] };

/** The whole draft for PUT: header fields the file leaves out are emptied, not kept from the server's draft. */
function replacement(document: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: document['name'], nodes: document['nodes'] ?? [], edges: document['edges'] ?? [] };
  for (const [k, empty] of Object.entries(HEADER_DEFAULTS)) out[k] = document[k] ?? empty;
  return out;
}

export async function pushCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const a = args(argv);
  if (a.help) return io.out(GITOPS_HELP), EXIT.ok;
  if (!a.dir) return io.err(GITOPS_HELP), EXIT.usage;
  const prune = a.prune === true;
  const plan = await planFor(a.dir, io, prune);
  if ('problems' in plan) {
    for (const p of plan.problems) io.err(p);
    io.err('itw push: nothing was sent');
    return EXIT.usage;
  }
  const { items, server } = plan;
  let failed = 0;
  for (const item of items) {
    if (item.kind === 'unchanged' || (item.kind === 'server_only' && !prune)) continue;
    const name = item.kind === 'server_only' ? item.remote.name : item.local.name;
    try {
      if (item.kind === 'server_only') {
        await server.remove(item.remote.id);
        io.out(`deleted ${name} (${item.remote.id})`);
        continue;
      }
      const { viewport: _v, ...document } = item.local.document;
      const wf = item.kind === 'create' ? await server.create(document) : await server.replace(item.remote.id, item.remote.draft_revision, replacement(document));
      const activated = a.activate ? ` and activated as version ${(await server.activate(wf.id)).active_version}` : '';
      io.out(`${item.kind === 'create' ? 'created' : 'updated'} ${name} (${wf.id})${activated}`);
    } catch (err) {
      failed++;
      io.err(`itw push: ${name}: ${err instanceof ItwError ? err.message : String(err)}`);
    }
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
