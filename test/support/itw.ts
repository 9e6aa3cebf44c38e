/** Runs the CLI from source, as `bin/itw.js` runs it from dist: `node --import tsx test/support/itw.ts ARGS`. */
import { main } from '../../src/cli/main.js';

await main(process.argv.slice(2));
