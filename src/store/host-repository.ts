import type { Kysely, Selectable } from 'kysely';
import type { HostInventory } from '../actions/fleet/fleet-ports.js';
import { ConflictError, NotFoundError } from '../model/errors.js';
import type { Host, HostInput } from '../model/hosts/host.js';
import { newId } from '../model/ids.js';
import { readJson } from './host-json.js';
import type { HostsTable } from './host-tables.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

function toHost(row: Selectable<HostsTable>): Host {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    port: Number(row.port),
    tags: readJson<string[]>(row.tags),
    ssh_credential_id: row.ssh_credential_id,
    attributes: readJson<Record<string, string>>(row.attributes),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
  };
}

function columns(h: HostInput) {
  return {
    name: h.name,
    address: h.address,
    port: h.port ?? 22,
    tags: JSON.stringify(h.tags ?? []),
    ssh_credential_id: h.ssh_credential_id,
    attributes: JSON.stringify(h.attributes ?? {}),
  };
}

const byName = (a: Host, b: Host) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The host inventory (`hosts`, migration 015): the API's CRUD and import, and what fleet steps read. */
export class HostRepository implements HostInventory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every host by name, or those carrying every tag given. */
  async list(opts: { tags?: readonly string[] } = {}): Promise<Host[]> {
    const rows = await this.db.selectFrom('hosts').selectAll().execute();
    const hosts = rows.map(toHost).sort(byName);
    const tags = opts.tags ?? [];
    return tags.length === 0 ? hosts : hosts.filter((h) => tags.every((t) => h.tags.includes(t)));
  }

  /** By id or name. */
  async get(idOrName: string): Promise<Host> {
    const row = await this.db.selectFrom('hosts').selectAll().where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])).executeTakeFirst();
    if (!row) throw new NotFoundError('host', idOrName);
    return toHost(row);
  }

  async create(input: HostInput): Promise<Host> {
    const at = this.now();
    const id = newId('host', at);
    try {
      await this.db.insertInto('hosts').values({ id, ...columns(input), created_at: at, updated_at: at }).execute();
    } catch (err) {
      throw this.conflict(err, input.name);
    }
    return this.get(id);
  }

  /** Replaces every field of a host (PUT semantics: fields not sent get their defaults). */
  async update(idOrName: string, input: HostInput): Promise<Host> {
    const { id } = await this.get(idOrName);
    try {
      await this.db.updateTable('hosts').set({ ...columns(input), updated_at: this.now() }).where('id', '=', id).execute();
    } catch (err) {
      throw this.conflict(err, input.name);
    }
    return this.get(id);
  }

  async delete(idOrName: string): Promise<void> {
    const { id } = await this.get(idOrName);
    await this.db.deleteFrom('hosts').where('id', '=', id).execute();
  }

  /**
   * Creates or replaces hosts by name in one transaction; with `replace`, hosts the document does
   * not name are deleted. Either every host is written or none.
   */
  async importHosts(inputs: readonly HostInput[], opts: { replace: boolean }): Promise<{ created: number; updated: number; deleted: number }> {
    const at = this.now();
    return this.db.transaction().execute(async (trx) => {
      const existing = new Map((await trx.selectFrom('hosts').select(['id', 'name']).execute()).map((r) => [r.name, r.id]));
      let created = 0;
      let updated = 0;
      for (const h of inputs) {
        const id = existing.get(h.name);
        if (id) {
          await trx.updateTable('hosts').set({ ...columns(h), updated_at: at }).where('id', '=', id).execute();
          updated++;
        } else {
          await trx.insertInto('hosts').values({ id: newId('host', at), ...columns(h), created_at: at, updated_at: at }).execute();
          created++;
        }
      }
      const keep = new Set(inputs.map((h) => h.name));
      const gone = opts.replace ? [...existing].filter(([name]) => !keep.has(name)).map(([, id]) => id) : [];
      if (gone.length > 0) await trx.deleteFrom('hosts').where('id', 'in', gone).execute();
      return { created, updated, deleted: gone.length };
    });
  }

  private conflict(err: unknown, name: string): unknown {
    return isUniqueViolation(err) ? new ConflictError(`a host named ${name} already exists`, { errors: [{ in: 'body', path: '/name', message: 'is taken' }] }) : err;
  }
}
