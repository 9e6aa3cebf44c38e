/**
 * How an HTTP trigger (webhook, alert) checks its caller. There is no default: `none` is a choice
 * made in the open. `hmac` is our format and signs a timestamp; the others are vendors' formats.
 */
export const AUTH_MODES = ['none', 'header', 'basic', 'hmac', 'github', 'gitlab', 'grafana', 'pagerduty'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Trigger types whose config must say how callers authenticate. */
export const AUTH_REQUIRED_TRIGGERS: readonly string[] = ['webhook', 'alert'];

export const AUTH_REQUIRED_MESSAGE =
  `is required; choose a mode: ${AUTH_MODES.join(', ')} (none lets anyone who knows the URL start the workflow)`;
