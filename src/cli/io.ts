import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** The CLI's outside world, passed in so commands can be tested in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  /**
   * A secret typed by the user: prompted without echo on a terminal, else the first line of stdin
   * (so `printf 'pw\n' | itw user create ...` works in scripts).
   */
  readSecret(prompt: string): Promise<string>;
}

async function readSecretFromProcess(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write(prompt);
    // Output goes nowhere while typing: the password is not echoed.
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
    try {
      return await new Promise<string>((resolve) => rl.question('', resolve));
    } finally {
      rl.close();
      process.stderr.write('\n');
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '');
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  readSecret: readSecretFromProcess,
};
