import { parseArgs } from 'node:util';
import { validationCatalog } from '../app.js';
import type { CliIo } from './io.js';
import { formatProblem, loadDefinitionFile } from './load-definition.js';
import { VALIDATE_HELP } from './help-texts.js';

export async function validateCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) return io.out(VALIDATE_HELP), 0;
  const file = positionals[0];
  if (!file || positionals.length > 1) return io.err(VALIDATE_HELP), 2;
  const loaded = await loadDefinitionFile(file, validationCatalog());
  if (!loaded.ok) {
    for (const p of loaded.problems) io.err(formatProblem(file, p, loaded.source));
    return 2;
  }
  io.out(`${file}: valid (${loaded.definition.nodes.length} nodes, ${loaded.definition.edges.length} edges)`);
  return 0;
}
