import { Type } from '@sinclair/typebox';
import { NO_HANDLE, type TriggerSource } from '../trigger-source.js';

/** Started by a person (API, UI, CLI): nothing listens; the start service (src/executions/) checks the input with checkManualRun (src/model/manual-run.ts). */
export const manualSource: TriggerSource = {
  type: 'manual',
  configSchema: Type.Object({}, { additionalProperties: true }),
  start: () => Promise.resolve(NO_HANDLE),
};
