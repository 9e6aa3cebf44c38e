/**
 * Preloaded into a short-lived child `itw` process (`node --import tsx --import
 * test/support/loaded-at-exit.ts`): at exit, writes the npm packages it loaded (CommonJS, from
 * require's cache) to the file named by ITW_TEST_LOADED_FILE, one per line.
 */
import { writeFileSync } from 'node:fs';
import { loadedPackageNames } from './loaded-package-names.js';

const out = process.env['ITW_TEST_LOADED_FILE'];

process.on('exit', () => {
  if (out !== undefined) writeFileSync(out, loadedPackageNames().join('\n'));
});
