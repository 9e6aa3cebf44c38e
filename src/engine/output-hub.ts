import type { ExecutionState } from './execution-state.js';
import { LiveOutput, OutputTails, type LiveOutputLimits, type OutputLine, type OutputListener } from './live-output.js';
import type { Redactor } from './redactor.js';
import type { NodeRunRecord } from './store-port.js';

/**
 * Where the process output of running steps goes in this process: live views for each step (redacted,
 * bounded), the listeners (SSE streams, the cluster relay), the tails a stream opened mid-step starts
 * with, and lines relayed from other processes of a cluster. Nothing of it is committed state.
 */
export class OutputHub {
  private readonly listeners = new Set<OutputListener>();
  private readonly ends = new Set<(runId: string) => void>();
  private readonly tails = new OutputTails();

  constructor(private readonly redactor: Redactor, private readonly limits: LiveOutputLimits | undefined) {}

  /** The live view a step's process writes to. */
  viewFor(state: ExecutionState, run: NodeRunRecord): LiveOutput {
    const where = { execution_id: run.execution_id, workflow_id: state.execution.workflow_id, node_id: run.node_id, node_run_id: run.id, scope: run.scope, attempt: run.attempt };
    return new LiveOutput(where, this.redactor, (line) => this.ingestOutput(line), this.limits, () => {
      this.tails.drop(run.id);
      for (const l of this.ends) l(run.id);
    });
  }

  /** Lines a running step's process prints, redacted and bounded per step (live-output.ts). */
  onOutput(listener: OutputListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A step's output ended (it finished, before its result is committed): a relay sends what it holds. */
  onOutputEnd(listener: (runId: string) => void): () => void {
    this.ends.add(listener);
    return () => this.ends.delete(listener);
  }

  /** A line of a step of this process, or one another process of the cluster relayed (cluster/output-relay.ts). */
  ingestOutput(line: OutputLine): void {
    this.tails.add(line);
    for (const l of this.listeners) l(line);
  }

  /** The latest lines of the execution's steps running in this process: what a stream opened mid-step shows first. */
  recentOutput(executionId: string): OutputLine[] {
    return this.tails.of(executionId);
  }
}
