/**
 * Usage texts of the `itw` commands, apart from their code: `itw --help` prints them all without
 * loading any command (the engine, the server, the drivers), so it answers at once.
 */
import { ROLES } from '../model/roles.js';

export const APIKEY_HELP = `Usage: itw apikey create --role ROLE [--name NAME] [--data-dir DIR]
       itw apikey list [--data-dir DIR]
       itw apikey revoke ID [--data-dir DIR]

Manages API keys directly in the database (works while the server runs). \`create\` prints the key
once on stdout; only its hash is stored. Roles: ${ROLES.join(', ')}.`;

export const GITOPS_HELP = `Usage: itw pull DIR | itw diff DIR [--prune] | itw push DIR [--activate] [--prune]

Workflows as code against a server (ITW_URL, default http://127.0.0.1:8023; ITW_API_KEY): one YAML
file per workflow, matched by name, keys sorted, no canvas viewport, secrets as $vault: references.
  pull DIR   write every workflow's draft to DIR/<name>.yaml (a file already holding it keeps its name)
  diff DIR   print the plan: + create, ~ update (with the changed paths), = unchanged, ? only on the
             server (- delete with --prune). Exit 0: nothing to do; 2: changes; 1: an error
  push DIR   apply the plan, one request per workflow (a draft changed on the server meanwhile is a
             conflict, not overwritten); --activate publishes each pushed workflow as a new
             version; --prune deletes workflows the directory no longer has. Exit 0 done,
             1 a workflow failed (the others are applied), 2 an invalid file (nothing sent)
See docs/GITOPS.md.`;

export const RUN_HELP = `Usage: itw run FILE [--input JSON] [--data-dir DIR] [--dry-run]

Validates a workflow definition (JSON or YAML), runs it to the end and prints the execution record
as JSON. It runs on a throwaway store (a temporary data dir, deleted afterwards), so it works while
\`itw serve\` runs; --data-dir records the run into a real one instead. Exit code: 0 completed,
1 failed or cancelled, 2 invalid input, 3 the data dir is in use by a running server.

  --input JSON      the execution's input_data ($trigger), default {}
  --data-dir DIR    record into this data dir's SQLite database (its server must be stopped)
  --dry-run         run nothing: print {dry_run, steps} with what each action, notification,
                    API call, database and script step would do (templates resolved against the
                    input and variable defaults where possible); exit 0 when valid. With
                    --data-dir, a run_workflow step lists its child workflow's plan too`;

export const SERVE_HELP = `Usage: itw serve [--host H] [--port P] [--data-dir DIR] [--no-worker]

Runs the HTTP API, the web UI and the engine in one process until SIGTERM or SIGINT. While there
are no users it prints a one-time setup token: open the UI and enter it to create the first admin
(or run \`npx itw user create\`). On a database with no users and no API keys it also creates an
admin API key in <data-dir>/admin-api-key (mode 0600) for scripts; the path, not the key, is printed.
Exit code: 0 stopped by a signal, 1 could not start (port in use, data dir in use), 2 bad option or
setting.

  --host H          interface to listen on (ITW_HOST, default 127.0.0.1)
  --port P          TCP port (ITW_PORT, default 8023; 0 picks a free one)
  --data-dir DIR    where the SQLite database and the key file live (ITW_DATA_DIR, default ~/.itw)
  --no-worker       API and trigger ingress only; steps run in \`itw worker\` processes
                    (needs ITW_DATABASE_URL=postgres://...; see docs/DEPLOYMENT.md)
  ITW_DATABASE_URL=postgres://... uses PostgreSQL instead of SQLite.`;

export const USER_HELP = `Usage: itw user create --username U --role ROLE [--slack-user-id U0...] [--data-dir DIR]
       itw user set-role --username U --role ROLE [--data-dir DIR]
       itw user set-password --username U [--data-dir DIR]
       itw user list [--data-dir DIR]

Creates a user who logs in at POST /auth/login, changes their role (the last admin stays admin) or
their password (their sessions end). A password is prompted for without echo on a terminal, else
read from the first line of stdin. Roles: ${ROLES.join(', ')}. --slack-user-id maps the Slack member
who acts as this user in ChatOps (docs/CHATOPS.md).`;

export const VALIDATE_HELP = `Usage: itw validate FILE

Checks a workflow definition (JSON or YAML) and lists every problem with its path, one per line on
stderr. Exit code: 0 valid, 2 invalid.`;

export const WORKER_HELP = `Usage: itw worker [--concurrency N]

Runs steps, wake-ups and deadlines from the cluster's job queue (graphile-worker on PostgreSQL) until
SIGTERM or SIGINT; no HTTP. Start any number next to \`itw serve --no-worker\` processes on the same
ITW_DATABASE_URL (docs/DEPLOYMENT.md). On SIGTERM it stops taking jobs, lets running steps finish
for ITW_SHUTDOWN_GRACE_MS, and hands the rest back to the queue.

  --concurrency N   jobs run at once (ITW_WORKER_CONCURRENCY, default 32)`;
