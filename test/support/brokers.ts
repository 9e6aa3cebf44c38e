// Test support for the messaging actions: credentials for the brokers running on this machine, and
// services whose egress guard refuses loopback (a site that did not allow internal addresses).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standaloneServices } from '../../src/actions/action-services.js';
import type { ActionServices } from '../../src/actions/define-action.js';
import { EgressGuard, type EgressRefusal } from '../../src/actions/http/egress-guard.js';
import type { ResolvedCredential } from '../../src/model/credentials.js';
import { freePort, accepting } from './ports.js';

export function brokerCredential(id: string, type: string, url: string, extra: Record<string, string> = {}, allowedHosts?: string[]): ResolvedCredential {
  return { id, type, data: { url, ...extra }, ...(allowedHosts ? { allowed_hosts: allowedHosts } : {}) };
}

/** Services whose guard blocks private and loopback addresses, recording what it refused. */
export function guardedServices(): { services: ActionServices; refusals: EgressRefusal[] } {
  const refusals: EgressRefusal[] = [];
  const egress = new EgressGuard({ blockPrivate: true, allow: [], onRefusal: (r) => refusals.push(r) });
  return { services: standaloneServices({ egress }), refusals };
}

/** A name unique to this test run, for topics, subjects, queues and keys. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A broker process started for one test file, with the port it listens on (127.0.0.1). */
export interface AuthBroker {
  readonly port: number;
  close(): void;
}

async function startBroker(bin: string, args: (dir: string, port: number) => string[], prepare: (dir: string, port: number) => void): Promise<AuthBroker> {
  if (!existsSync(bin)) throw new Error(`this test needs ${bin}`);
  const dir = mkdtempSync(join(tmpdir(), 'itw-broker-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  prepare(dir, port);
  const proc = spawn(bin, args(dir, port), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let exited: number | null | undefined;
  proc.stderr.on('data', (c: Buffer) => {
    log += String(c);
  });
  proc.on('exit', (code) => {
    exited = code;
  });
  for (let i = 0; i < 200 && !(await accepting(port)); i++) {
    if (exited !== undefined) throw new Error(`${bin} exited ${exited}: ${log}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    close() {
      proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Mosquitto requiring a password: user `itw` may publish under `itw/allowed/#` only. */
export function startMosquittoWithAuth(password: string): Promise<AuthBroker> {
  return startBroker('/usr/sbin/mosquitto', (dir) => ['-c', join(dir, 'mosquitto.conf')], (dir, port) => {
    execFileSync('/usr/bin/mosquitto_passwd', ['-b', '-c', join(dir, 'passwd'), 'itw', password]);
    writeFileSync(join(dir, 'acl'), 'user itw\ntopic write itw/allowed/#\n');
    chmodSync(join(dir, 'passwd'), 0o644);
    writeFileSync(join(dir, 'mosquitto.conf'), [
      `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${join(dir, 'passwd')}`, `acl_file ${join(dir, 'acl')}`, 'persistence false',
    ].join('\n'));
  });
}

/** nats-server requiring user `itw` with `password`, allowed to publish on `itw.allowed.>` only. */
export function startNatsWithAuth(password: string): Promise<AuthBroker> {
  return startBroker('/usr/sbin/nats-server', (dir) => ['-c', join(dir, 'nats.conf')], (dir, port) => {
    writeFileSync(join(dir, 'nats.conf'), [
      'host: 127.0.0.1', `port: ${port}`,
      `authorization { users: [ { user: itw, password: "${password}", permissions: { publish: "itw.allowed.>", subscribe: "_INBOX.>" } } ] }`,
    ].join('\n'));
  });
}
