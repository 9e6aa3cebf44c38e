import type { RetryPolicy } from '../model/types.js';

/**
 * Default retry policies of actions that call a vendor's API, used when the node and the workflow set
 * none. Only retryable failures (429, 5xx, timeouts, network) are retried; a vendor's Retry-After is a
 * floor on the wait (engine/retry-policy.ts backoffMs).
 */

/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/overview/, "Response
 * Codes & Retry Logic"): on 429/5xx retry, with at least 30 s between attempts, a few times. Used by
 * the actions that may forward to PagerDuty, Opsgenie or ServiceNow: the strictest of the three.
 */
export const PAGERDUTY_RETRY: RetryPolicy = { max_attempts: 4, backoff: 'fixed', initial_seconds: 30 };

/**
 * Slack (https://api.slack.com/apis/rate-limits: 429 with Retry-After), Twilio (error 20429, "retry
 * with exponential backoff"), Jira/ServiceNow/GitHub (429 with Retry-After): three more tries,
 * exponential from 5 s, capped at 2 min; Retry-After wins when longer. The same holds for Opsgenie
 * (429), Statuspage (420/429, about one request a second per key), Teams, Mattermost, Google Chat
 * (429 RESOURCE_EXHAUSTED), GitLab (429 with Retry-After), and Discord and Telegram, whose 429 bodies
 * carry `retry_after` in seconds (used as the floor when no header is sent).
 */
export const SAAS_RETRY: RetryPolicy = { max_attempts: 4, backoff: 'exponential', initial_seconds: 5, max_seconds: 120 };
