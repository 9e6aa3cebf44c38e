/**
 * The one marker that stands for a secret everywhere it was removed: stored executions, API
 * answers, live streams, logs, exports, error messages.
 */
export const REDACTED = '[redacted]';
