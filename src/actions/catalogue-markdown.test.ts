import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinActions } from './catalog.js';
import { catalogueMarkdown } from './catalogue-markdown.js';

describe('docs/ACTIONS.md', () => {
  it('is the catalogue the registry generates (run `npm run docs:actions` after changing an action)', () => {
    const onDisk = readFileSync(new URL('../../docs/ACTIONS.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(catalogueMarkdown(builtinActions()));
  });

  it('lists every action under its category with its params and output', () => {
    const md = catalogueMarkdown(builtinActions());
    for (const id of builtinActions().keys()) expect(md).toContain(`### \`${id}\``);
    expect(md).toMatch(/### `send_slack`[\s\S]*?\| `channel` \|/);
  });
});
