/**
 * Preloaded into a child `itw` process (`node --import tsx --import test/support/loaded-packages.ts`):
 * answers the IPC message 'loaded-packages' with the npm packages the process has loaded so far.
 * CommonJS packages only (require's cache), which every heavy integration library is.
 */
import { loadedPackageNames } from './loaded-package-names.js';

process.on('message', (msg) => {
  if (msg === 'loaded-packages') process.send?.(loadedPackageNames());
});
// The channel must not keep the process alive: `itw serve` still exits on SIGTERM.
process.channel?.unref();
