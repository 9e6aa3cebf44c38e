/**
 * What to do instead of templating a code field (model/code-fields.ts), one sentence per kind of
 * code, shared by the actions and node types that hold it.
 */
export const CODE_HINTS = {
  sql: 'write a placeholder ($1, $2… on PostgreSQL, ? on MySQL/MariaDB and SQLite) and pass the value in `params`, where the driver binds it',
  command:
    'pass the value as its own entry of an argv array (`command: ["ping", "-c", "1", "{{ $trigger.host }}"]`), or in `env` (`env: { HOST: "{{ $trigger.host }}" }`) and write "$HOST" in the shell line',
  argv: 'write the program and its script as they are, and pass values as further argv entries or in `env`',
  script: 'pass the value in `env` (an environment variable), `args` (argv) or `input` (JSON on stdin)',
  deploy: 'write the argv as it is; the command gets DEPLOY_APPLICATION, DEPLOY_ENVIRONMENT and DEPLOY_VERSION in its environment, and other values can be further argv entries',
  jsonata: 'pass the value in `data` and read it in the expression (`$` is `data`)',
  restart: 'write the argv as configured for the service in ITW_RESTART_COMMANDS',
  nodeScript: 'read the value in the code: `$input`, `$trigger` and `$vars` are in scope',
} as const;
