import { Type } from '@sinclair/typebox';
import type { EngineEvent } from '../../engine/engine-events.js';
import { isFinalExecutionStatus } from '../../engine/statuses.js';
import { NotFoundError } from '../../model/errors.js';
import { presentExecution, presentNodeRun } from '../present/execution.js';
import { IdParams, problems } from '../schemas/common.js';
import { openSse, type SseStream } from '../sse/sse-stream.js';
import type { Api, ApiDeps } from '../types.js';

const tags = ['events'];
const stream = Type.String({ description: 'text/event-stream' });

function message(e: EngineEvent): [string, unknown] {
  return e.type === 'node' ? ['node', presentNodeRun(e.run)] : ['execution', presentExecution(e.execution)];
}

export function eventRoutes(f: Api, deps: ApiDeps): void {
  const { app, hub } = deps;

  f.get('/automation/executions/:id/events', {
    schema: {
      tags, summary: 'Server-sent events of one execution: a `snapshot`, then `node` and `execution` changes as they commit and `node.output` lines (stream, line, sequence) of running steps as their processes write them; ends at a final status',
      params: IdParams, produces: ['text/event-stream'], response: { 200: stream, ...problems(404, 429) },
    },
    config: { minRole: 'viewer' },
  }, async (req, reply) => {
    const id = req.params.id;
    // Subscribed before the snapshot is read, so nothing committed meanwhile is missed. Events that
    // arrive during the read may be older or newer than it: rather than guess, read again.
    let arrived = 0;
    let live: ((e: EngineEvent) => void) | undefined;
    // Lines written before the stream is ready are in the engine's tail of each running step.
    let sse: SseStream | undefined;
    const unsubscribeOutput = hub.subscribeOutput((line) => {
      if (line.execution_id === id) sse?.send('node.output', line);
    });
    const unsubscribe = hub.subscribe((events) => {
      for (const e of events) {
        if ((e.type === 'node' ? e.run.execution_id : e.execution.id) !== id) continue;
        if (live) live(e);
        else arrived++;
      }
    });
    try {
      let loaded = await app.store.engine.loadExecution(id);
      for (let i = 0; i < 5 && loaded && arrived > 0; i++) {
        arrived = 0;
        loaded = await app.store.engine.loadExecution(id);
      }
      if (!loaded) throw new NotFoundError('execution', id);
      const stream = openSse(req, reply, hub, deps.heartbeatMs, deps.streamLimits);
      stream.onClose(unsubscribe);
      stream.onClose(unsubscribeOutput);
      stream.send('snapshot', { execution: presentExecution(loaded.execution), nodes: loaded.runs.map((r) => presentNodeRun(r)) });
      if (isFinalExecutionStatus(loaded.execution.status)) return stream.close();
      // Nothing is emitted between reading the tail and switching to live lines (one synchronous turn).
      for (const line of hub.recentOutput(id)) stream.send('node.output', line);
      sse = stream;
      live = (e) => {
        const [event, data] = message(e);
        stream.send(event, data);
        if (e.type === 'execution' && isFinalExecutionStatus(e.execution.status)) stream.close();
      };
    } catch (err) {
      unsubscribe();
      unsubscribeOutput();
      throw err;
    }
  });

  f.get('/automation/events', {
    schema: {
      tags, summary: 'Server-sent events of every execution: `node` and `execution` changes as they commit (for dashboards)',
      querystring: Type.Object({ workflow_id: Type.Optional(Type.String()) }, { additionalProperties: false }),
      produces: ['text/event-stream'], response: { 200: stream, ...problems(429) },
    },
    config: { minRole: 'viewer' },
  }, (req, reply) => {
    const only = req.query.workflow_id;
    const sse = openSse(req, reply, hub, deps.heartbeatMs, deps.streamLimits);
    sse.onClose(hub.subscribe((events) => {
      for (const e of events) {
        const workflowId = e.type === 'node' ? e.workflow_id : e.execution.workflow_id;
        if (only === undefined || workflowId === only) sse.send(...message(e));
      }
    }));
    sse.send('ready', {});
  });
}
