import { Type, type TObject } from '@sinclair/typebox';

/**
 * The typed credentials the vault stores. `secret` fields are encrypted at rest, never returned by
 * the API and redacted from everything an execution stores; the others are shown for recognition.
 */
export interface CredentialType {
  readonly type: string;
  readonly label: string;
  readonly schema: TObject;
  readonly secret: readonly string[];
}

const s = (description: string) => Type.String({ minLength: 1, description });
const opt = (description: string) => Type.Optional(s(description));

function define(type: string, label: string, fields: Parameters<typeof Type.Object>[0], secret: readonly string[]): CredentialType {
  return { type, label, schema: Type.Object(fields, { additionalProperties: false }), secret };
}

export const CREDENTIAL_TYPES: readonly CredentialType[] = [
  define('http_bearer', 'HTTP bearer token', { token: s('Bearer token') }, ['token']),
  define('http_basic', 'HTTP basic auth', { username: s('User name'), password: s('Password') }, ['password']),
  define('http_header', 'HTTP header', { name: s('Header name'), value: s('Header value') }, ['value']),
  define('slack', 'Slack', { webhook_url: opt('Incoming webhook URL'), bot_token: opt('Bot token (xoxb-...)'), base_url: opt('API base URL'), signing_secret: opt('Signing secret of the Slack app (ChatOps: approval buttons and slash commands, docs/CHATOPS.md)') }, ['webhook_url', 'bot_token', 'signing_secret']),
  define('twilio', 'Twilio', { account_sid: s('Account SID'), auth_token: s('Auth token'), from: opt('Sender number (E.164)'), messaging_service_sid: opt('Messaging service SID'), base_url: opt('API base URL') }, ['auth_token']),
  define('smtp', 'SMTP', { host: s('Host'), port: s('Port'), secure: opt("'true' for TLS on connect"), user: opt('User'), password: opt('Password'), from: opt('Default sender'), ignore_tls: opt("'true' to never upgrade with STARTTLS (trusted networks only)") }, ['password']),
  define('ssh_key', 'SSH key', { host: s('Host'), port: opt('Port'), username: s('User'), private_key: s('Private key (PEM/OpenSSH)'), passphrase: opt('Key passphrase'), host_key_fingerprint: opt('SHA256:… of the host key (several: comma separated); a host key neither pinned here nor in known_hosts is refused'), known_hosts: opt('OpenSSH known_hosts lines for the host'), accept_any_host_key: opt('true accepts any host key (not recommended: logged by every step)') }, ['private_key', 'passphrase']),
  define('database', 'Database', { url: s('postgres://, mysql://, mariadb:// or sqlite: URL (may hold a password)') }, ['url']),
  define('jira', 'Jira', { base_url: s('Site URL'), email: opt('Account email (Cloud)'), api_token: opt('API token (Cloud)'), bearer_token: opt('Personal access token (Data Center)'), api_version: opt('REST API version for create_ticket: 2 (default, wiki markup) or 3 (ADF descriptions, Cloud)') }, ['api_token', 'bearer_token']),
  define('servicenow', 'ServiceNow', { base_url: s('Instance URL'), username: opt('User'), password: opt('Password'), bearer_token: opt('OAuth token') }, ['password', 'bearer_token']),
  define('github', 'GitHub', { token: s('Token'), base_url: opt('API base URL') }, ['token']),
  define('pagerduty', 'PagerDuty', { routing_key: s('Events v2 integration key'), base_url: opt('Events API base URL') }, ['routing_key']),
  define('opsgenie', 'Opsgenie', { api_key: s('API key'), base_url: opt('API base URL') }, ['api_key']),
  // monitoring (issue 16A)
  define('grafana', 'Grafana', { base_url: s('Grafana URL (https://grafana.example.com, or the stack URL on Grafana Cloud)'), token: s('Service account token (glsa_...)') }, ['token']),
  // paging, chat and ticket actions (issue 16B)
  define('statuspage', 'Atlassian Statuspage', { api_key: s('API key (sent as Authorization: OAuth <key>)'), base_url: opt('API base URL (default https://api.statuspage.io)') }, ['api_key']),
  define('teams', 'Microsoft Teams', { webhook_url: s('Incoming webhook or Workflows (Power Automate) URL') }, ['webhook_url']),
  define('discord', 'Discord', { webhook_url: s('Webhook URL (https://discord.com/api/webhooks/<id>/<token>)') }, ['webhook_url']),
  define('mattermost', 'Mattermost', { webhook_url: s('Incoming webhook URL (https://<host>/hooks/<key>)') }, ['webhook_url']),
  define('telegram', 'Telegram bot', { bot_token: s('Bot token from @BotFather'), base_url: opt('Bot API base URL (default https://api.telegram.org)') }, ['bot_token']),
  define('google_chat', 'Google Chat', { webhook_url: s('Space webhook URL (carries key and token)') }, ['webhook_url']),
  define('gitlab', 'GitLab', { token: s('Personal, project or group access token (PRIVATE-TOKEN)'), base_url: opt('Instance URL (default https://gitlab.com)') }, ['token']),
  // kubernetes, docker, vault, scim (issue 16c)
  define('kubernetes', 'Kubernetes', { kubeconfig: s('kubeconfig (YAML) with embedded material: server, certificate-authority-data, and token or client-certificate-data/client-key-data'), context: opt('Context to use; the kubeconfig\'s current-context when left out') }, ['kubeconfig']),
  define('docker', 'Docker Engine (TCP)', { host: s('tcp://host:2376 of a daemon listening with TLS'), ca: opt('PEM of the CA that signed the daemon\'s certificate'), cert: opt('PEM client certificate'), key: opt('PEM client key') }, ['key']),
  define('vault', 'HashiCorp Vault', { address: s('Vault address, e.g. https://vault.example.com:8200'), token: s('Vault token'), namespace: opt('Namespace (Vault Enterprise / HCP), sent as X-Vault-Namespace') }, ['token']),
  define('scim', 'SCIM 2.0', { base_url: s('SCIM base URL (the endpoint /Users is under), e.g. https://idp.example.com/scim/v2'), token: s('Bearer token') }, ['token']),
  // 16D messaging, LDAP (brokers and directories: `url` names the host, which is also the credential's default allowed host)
  define('mqtt', 'MQTT broker', { url: s('mqtt:// or mqtts:// URL of the broker (host and port; no password in it)'), username: opt('User'), password: opt('Password'), client_id: opt('Client id prefix (default itw)') }, ['password']),
  define('nats', 'NATS server', { url: s('nats:// or tls:// URL of the server (no password in it)'), username: opt('User'), password: opt('Password'), token: opt('Auth token (instead of user and password)') }, ['password', 'token']),
  define('amqp', 'AMQP broker (RabbitMQ)', { url: s('amqp:// or amqps:// URL of the broker, with the vhost as path (no password in it)'), username: opt('User'), password: opt('Password') }, ['password']),
  define('redis', 'Redis', { url: s('redis:// or rediss:// URL, database number as path (redis://host:6379/0; no password in it)'), username: opt('ACL user (Redis 6+)'), password: opt('Password') }, ['password']),
  define('ldap', 'LDAP directory', { url: s('ldap:// or ldaps:// URL of the server'), bind_dn: s('DN to bind as (cn=admin,dc=example,dc=com)'), password: s('Bind password'), base_dn: s('Base DN the actions work under (dc=example,dc=com)'), tls_ca: opt('PEM CA certificate(s) that sign the server certificate (ldaps:// or starttls)'), starttls: opt("'true' to upgrade ldap:// with StartTLS") }, ['password']),
];

export const CREDENTIAL_TYPE_MAP: ReadonlyMap<string, CredentialType> = new Map(CREDENTIAL_TYPES.map((t) => [t.type, t]));
