import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real IMAP server (Dovecot, Debian's dovecot-imapd) on a loopback port, from a config in a temp dir. */
export interface Dovecot {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Drops a raw RFC 5322 message into the user's INBOX (Maildir/new), as a local delivery would. */
  deliver(raw: string): void;
  close(): Promise<void>;
}

export const DOVECOT_BIN = '/usr/sbin/dovecot';
export const hasDovecot = existsSync(DOVECOT_BIN);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function ids(name: string): { uid: number; gid: number } {
  const r = spawnSync('id', [name], { encoding: 'utf8' });
  const uid = /uid=(\d+)/.exec(r.stdout)?.[1];
  const gid = /gid=(\d+)/.exec(r.stdout)?.[1];
  if (!uid || !gid) throw new Error(`no system user ${name} (is dovecot-imapd installed?)`);
  return { uid: Number(uid), gid: Number(gid) };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('dovecot did not start listening');
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'itw-dovecot-'));
  chmodSync(dir, 0o755);
  const { uid, gid } = ids('dovecot');
  const port = await freePort();
  const user = 'inbox';
  const password = 'imap-pw';
  const home = join(dir, 'home', user);
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(home, 'Maildir', sub), { recursive: true });
  for (const p of [join(dir, 'home'), home, join(home, 'Maildir'), ...['cur', 'new', 'tmp'].map((s) => join(home, 'Maildir', s))]) chownSync(p, uid, gid);
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  writeFileSync(join(dir, 'dovecot.conf'), `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
mail_location = maildir:~/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`);
  const child = spawn(DOVECOT_BIN, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitForPort(port, child);
  let seq = 0;
  return {
    port, user, password,
    deliver(raw) {
      const name = `${Date.now()}.M${seq++}P${process.pid}.itw`;
      const tmp = join(home, 'Maildir', 'tmp', name);
      writeFileSync(tmp, raw.replace(/\r?\n/g, '\n'));
      chownSync(tmp, uid, gid);
      spawnSync('mv', [tmp, join(home, 'Maildir', 'new', name)]);
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
