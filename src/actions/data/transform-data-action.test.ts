import { describe, expect, it } from 'vitest';
import { noCredentials } from '../../model/credentials.js';
import { NonRetryableError } from '../../model/errors.js';
import { transformDataAction } from './transform-data-action.js';
import { testServices } from '../../../test/support/loopback-egress.js';

type Params = Parameters<typeof transformDataAction.run>[0]['params'];
const ctx = (params: Params) => ({ params, log: { log: () => undefined }, signal: new AbortController().signal, idempotencyKey: 'e:n:0:1', credentials: noCredentials, services: testServices() });

describe('transform_data', () => {
  it('evaluates JSONata against the data', async () => {
    const data = { orders: [{ item: 'disk', qty: 2, price: 50 }, { item: 'fan', qty: 1, price: 15 }] };
    expect(await transformDataAction.run(ctx({ expression: '$sum(orders.(qty * price))', data }))).toEqual({ result: 115 });
    expect(await transformDataAction.run(ctx({ expression: 'orders[qty > 1].item', data }))).toEqual({ result: 'disk' });
    expect(await transformDataAction.run(ctx({ expression: 'orders.{"name": $uppercase(item)}', data }))).toEqual({ result: [{ name: 'DISK' }, { name: 'FAN' }] });
    expect(await transformDataAction.run(ctx({ expression: 'missing' }))).toEqual({ result: null });
  });

  it('reports a syntax error as expression_error with its position', async () => {
    const failing = transformDataAction.run(ctx({ expression: 'orders[qty > ]', data: {} }));
    await expect(failing).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failing).rejects.toMatchObject({ code: 'expression_error', message: expect.stringMatching(/position 14/), details: { position: 14 } });
  });

  it('reports evaluation errors and stops runaway recursion', async () => {
    await expect(transformDataAction.run(ctx({ expression: '1 + "a"' }))).rejects.toMatchObject({ code: 'expression_error', details: { jsonata_code: 'T2002' } });
    const runaway = '($f := function($x) { 1 + $f($x + 1) }; $f(0))';
    await expect(transformDataAction.run(ctx({ expression: runaway }))).rejects.toMatchObject({ code: 'expression_limit_exceeded', details: { jsonata_code: 'D1011' } });
  });
});
