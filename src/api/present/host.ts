import type { Host, HostInput } from '../../model/hosts/host.js';
import { iso } from '../schemas/common.js';

export function presentHost(h: Host) {
  return { id: h.id, name: h.name, address: h.address, port: h.port, tags: [...h.tags], ssh_credential_id: h.ssh_credential_id, attributes: { ...h.attributes }, created_at: iso(h.created_at)!, updated_at: iso(h.updated_at)! };
}

/** A host as the export document holds it: what import takes back (no ids or times). */
export function exportedHost(h: Host): HostInput {
  return { name: h.name, address: h.address, port: h.port, tags: [...h.tags], ssh_credential_id: h.ssh_credential_id, attributes: { ...h.attributes } };
}
