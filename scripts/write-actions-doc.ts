// Writes docs/ACTIONS.md from the action registry: `npm run docs:actions`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinActions } from '../src/actions/catalog.js';
import { catalogueMarkdown } from '../src/actions/catalogue-markdown.js';

const target = fileURLToPath(new URL('../docs/ACTIONS.md', import.meta.url));
writeFileSync(target, catalogueMarkdown(builtinActions()));
process.stdout.write(`wrote ${target}\n`);
