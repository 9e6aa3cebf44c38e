import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureUiBuilt, REPO } from './harness.js';

const DIST = join(REPO, 'ui', 'dist');
const ASSETS = join(DIST, 'assets');

const gz = (file: string) => gzipSync(readFileSync(join(ASSETS, file))).length;

/** A chunk and every chunk it imports statically (what the browser must load before it runs). */
function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(join(ASSETS, entry), 'utf8');
  // Static imports only: `import("./x.js")` is loaded later, on demand.
  for (const m of code.matchAll(/(?:from|import)\s*"\.\/([\w.-]+\.js)"/g)) closure(m[1]!, seen);
  return seen;
}

const kb = (n: number) => Math.round(n / 102.4) / 10;

describe('UI bundle', () => {
  let initial: Set<string>;
  let builder: Set<string>;
  beforeAll(() => {
    ensureUiBuilt();
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="\/assets\/([\w.-]+\.js)"/.exec(html)?.[1];
    if (!entry) throw new Error('no entry script in ui/dist/index.html');
    initial = closure(entry);
    for (const m of html.matchAll(/rel="modulepreload"[^>]*href="\/assets\/([\w.-]+\.js)"/g)) closure(m[1]!, initial);
    const page = readdirSync(ASSETS).find((f) => /^WorkflowBuilder-.*\.js$/.test(f));
    if (!page) throw new Error('no WorkflowBuilder chunk: the builder must be its own chunk');
    builder = closure(page);
    for (const f of initial) builder.delete(f);
  }, 200_000);

  it('keeps the initial JavaScript under 400 KB gzipped, without the builder or the charts in it', () => {
    const initialGz = [...initial].reduce((s, f) => s + gz(f), 0);
    const builderGz = [...builder].reduce((s, f) => s + gz(f), 0);
    console.log(`initial JS ${kb(initialGz)} KB gzipped (${[...initial].join(', ')}); builder route adds ${kb(builderGz)} KB gzipped (${[...builder].join(', ')})`);
    expect(initialGz).toBeLessThan(400 * 1024);
    const initialCode = [...initial].map((f) => readFileSync(join(ASSETS, f), 'utf8')).join('\n');
    expect(initialCode).not.toContain('react-flow__pane');
    expect(initialCode).not.toContain('recharts');
    expect(builder.size).toBeGreaterThan(0);
  });

  it('fetches nothing from another origin: no absolute http(s) URL in the HTML, CSS or script references', () => {
    const html = readFileSync(join(DIST, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const f of readdirSync(ASSETS).filter((x) => x.endsWith('.css'))) {
      expect(readFileSync(join(ASSETS, f), 'utf8'), f).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
    }
  });
});
