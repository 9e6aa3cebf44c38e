// Issue 11, finding 4: trigger data spliced into code. A template in SQL, a shell line, script source
// or an argv's program is refused when the workflow is activated (API 422 problem+json naming the
// field, `itw validate` exit 2), and the safe forms carry the same hostile value as data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from '../../src/store/sqlite-driver.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, untilStatus, type ApiServer } from '../api/api-server.js';
import { SQLITE } from '../support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'itw-code-injection-'));
const dbFile = join(dir, 'inventory.db');
const SQL_ATTACK = "x' union select secret from secrets --";
const SHELL_ATTACK = '127.0.0.1; id';
const PY_ATTACK = "'); import os; os.system('id'); print('";

/** trigger → one action step: what each attack needs. */
function oneStep(name: string, config: Record<string, unknown>) {
  return {
    name,
    nodes: [
      { id: 'start', node_type: 'trigger', config: { trigger_type: 'manual' } },
      { id: 'step', node_type: 'action', config },
    ],
    edges: [{ source_node_id: 'start', target_node_id: 'step' }],
  };
}

describe('code fields never take trigger data (finding 4)', () => {
  let s: ApiServer;
  beforeAll(async () => {
    const db = new Database(dbFile);
    db.exec("CREATE TABLE hosts (name TEXT); INSERT INTO hosts VALUES ('web1'); CREATE TABLE secrets (secret TEXT); INSERT INTO secrets VALUES ('root-password');");
    db.close();
    s = await startApiServer(SQLITE);
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Creates the workflow as an editor and tries to activate it. */
  async function activate(def: object) {
    const wf = await s.call('POST', '/automation/workflows', { body: def, as: 'editor' });
    expect(wf.status).toBe(201);
    return { id: String(wf.body.id), reply: await s.call('POST', `/automation/workflows/${wf.body.id}/activate`, { as: 'editor' }) };
  }

  async function run(id: string, input: unknown) {
    const r = await s.call('POST', `/automation/workflows/${id}/execute`, { body: { input_data: input }, as: 'operator' });
    expect(r.status).toBe(202);
    const done = await untilStatus(s, String(r.body.id));
    const nodes = done.body.nodes as Array<{ node_id: string; status: string; output: Record<string, unknown> | null; error: unknown }>;
    return nodes.find((n) => n.node_id === 'step')!;
  }

  function expectRefused(reply: Awaited<ReturnType<ApiServer['call']>>, path: string, advice: RegExp): void {
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (reply.body.errors as Array<{ path: string; code: string; message: string }>).find((p) => p.path === path);
    expect(problem, JSON.stringify(reply.body.errors)).toMatchObject({ code: 'template_in_code' });
    expect(problem!.message).toMatch(advice);
  }

  it('SQL: a template in query_database sql is refused; the value as a bound param returns no extra row', async () => {
    const spliced = await activate(oneStep('sql spliced', {
      action_type: 'query_database', database_url: `sqlite:${dbFile}`, sql: "select name from hosts where name = '{{ $trigger.name }}'",
    }));
    expectRefused(spliced.reply, '/nodes/1/config/sql', /placeholder.*`params`/);

    const bound = await activate(oneStep('sql bound', {
      action_type: 'query_database', database_url: `sqlite:${dbFile}`, sql: 'select name from hosts where name = ?', params: ['{{ $trigger.name }}'],
    }));
    expect(bound.reply.status, JSON.stringify(bound.reply.body)).toBe(200);
    const attack = await run(bound.id, { name: SQL_ATTACK });
    expect(attack).toMatchObject({ status: 'completed', output: { rows: [], row_count: 0 } });
    expect(JSON.stringify(attack.output)).not.toContain('root-password');
    expect((await run(bound.id, { name: 'web1' })).output).toMatchObject({ rows: [{ name: 'web1' }] });
  });

  it('the database node: sql stays as written and a template in it is refused', async () => {
    const def = {
      name: 'db node', nodes: [
        { id: 'start', node_type: 'trigger', config: {} },
        { id: 'step', node_type: 'database', config: { credential_id: 'db', sql: 'select * from hosts where name = {{ $trigger.name }}' } },
      ],
      edges: [{ source_node_id: 'start', target_node_id: 'step' }],
    };
    expectRefused((await activate(def)).reply, '/nodes/1/config/sql', /`params`/);
  });

  it('shell: a template in an execute_command shell line is refused; as an argv entry or env value it stays one piece of data', async () => {
    const spliced = await activate(oneStep('shell spliced', { action_type: 'execute_command', shell: true, command: 'ping -c 1 {{ $trigger.host }}' }));
    expectRefused(spliced.reply, '/nodes/1/config/command', /argv array.*`env`/);
    // Variables are data an operator may override at run time: they cannot become the command either.
    const fromVars = await activate(oneStep('argv from vars', { action_type: 'execute_command', command: '{{ $vars.command }}' }));
    expectRefused(fromVars.reply, '/nodes/1/config/command', /argv/);
    const program = await activate(oneStep('program from trigger', { action_type: 'execute_command', command: ['{{ $trigger.program }}', '-c', 'id'] }));
    expectRefused(program.reply, '/nodes/1/config/command/0', /argv/);
    const script = await activate(oneStep('sh -c from trigger', { action_type: 'execute_command', command: ['sh', '-c', 'ping -c 1 {{ $trigger.host }}'] }));
    expectRefused(script.reply, '/nodes/1/config/command/2', /argv/);

    const argv = await activate(oneStep('argv', {
      action_type: 'execute_command', command: [process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '{{ $trigger.host }}'],
    }));
    expect(argv.reply.status).toBe(200);
    const out = await run(argv.id, { host: SHELL_ATTACK });
    expect(out.status).toBe('completed');
    expect(JSON.parse(String(out.output!['stdout']))).toEqual([SHELL_ATTACK]);

    const env = await activate(oneStep('env', { action_type: 'execute_command', shell: true, command: 'printf "%s" "$HOST"', env: { HOST: '{{ $trigger.host }}' } }));
    expect(env.reply.status).toBe(200);
    const printed = await run(env.id, { host: SHELL_ATTACK });
    expect(printed.output).toMatchObject({ exit_code: 0, stdout: SHELL_ATTACK });
    expect(String(printed.output!['stdout'])).not.toMatch(/uid=/);
  });

  it('script: a template in run_script code is refused; through env the python payload is printed, not run', async () => {
    const spliced = await activate(oneStep('python spliced', { action_type: 'run_script', language: 'python', code: "print('{{ $trigger.msg }}')" }));
    expectRefused(spliced.reply, '/nodes/1/config/code', /`env`.*`args`.*`input`/);

    const safe = await activate(oneStep('python env', {
      action_type: 'run_script', language: 'python', code: "import os\nprint(os.environ['MSG'])", env: { MSG: '{{ $trigger.msg }}' },
    }));
    expect(safe.reply.status).toBe(200);
    const out = await run(safe.id, { msg: PY_ATTACK });
    expect(out).toMatchObject({ status: 'completed', output: { exit_code: 0, stdout: `${PY_ATTACK}\n` } });
    expect(String(out.output!['stdout'])).not.toMatch(/uid=/);
  });

  it('code keeps its own {{ }}: a Go template in a shell line is the command\'s text, not a workflow template', async () => {
    const def = oneStep('go template', {
      action_type: 'execute_command', shell: true, command: 'docker inspect --format "{{ .State.Status }}" "$C"', env: { C: '{{ $trigger.container }}' },
    });
    expect((await activate(def)).reply.status).toBe(200);
  });

  it('itw validate exits 2 and says how to pass the value', () => {
    const file = join(dir, 'spliced.yaml');
    writeFileSync(file, [
      'name: spliced',
      'nodes:',
      '  - { id: start, node_type: trigger, config: { trigger_type: manual } }',
      `  - { id: q, node_type: action, config: { action_type: query_database, database_url: 'sqlite:${dbFile}', sql: "select * from hosts where name = '{{ $trigger.name }}'" } }`,
      'edges:',
      '  - { source_node_id: start, target_node_id: q }',
    ].join('\n'));
    const itw = fileURLToPath(new URL('../support/itw.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', itw, 'validate', file], { encoding: 'utf8', env: { ...process.env, ITW_DATA_DIR: join(dir, 'data') } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/nodes/1/config/sql');
    expect(r.stderr).toMatch(/pass the value in `params`/);
    // Spawning the CLI through tsx is slow on a loaded machine; this bounds the wait, it asserts nothing.
  }, 120_000);
});
