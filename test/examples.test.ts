import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../src/model/parse-definition.js';
import type { WorkflowDefinition } from '../src/model/types.js';
import { openHarness, SQLITE, type Harness } from './support/harness.js';

/** Every file in examples/ runs as its first-line comment says, so the README's examples stay true. */
const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

describe('examples/', () => {
  let h: Harness;
  beforeAll(async () => { h = await openHarness(SQLITE); });
  afterAll(async () => { await h.close(); });

  it.each(files)('%s runs to completion with the input its header gives', async (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const input = /--input '([^']*)'/.exec(text.split('\n')[0] ?? '')?.[1];
    const parsed = parseDefinitionText(text, file);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = await h.run(parsed.value as WorkflowDefinition, input ? JSON.parse(input) : {});
    expect(r.execution.error).toBeNull();
    expect(r.execution.status).toBe('completed');
  });
});
