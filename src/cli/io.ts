/** The CLI's outside world, passed in so commands can be tested in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
};
