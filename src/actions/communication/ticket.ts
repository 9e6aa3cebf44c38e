export const TICKET_SYSTEMS = ['jira', 'servicenow', 'github'] as const;
export type TicketSystem = (typeof TICKET_SYSTEMS)[number];

/** What create_ticket asks every system for; each client takes the fields its API has. */
export interface TicketRequest {
  readonly title: string;
  readonly description?: string | undefined;
  readonly priority?: string | undefined;
  readonly labels?: readonly string[] | undefined;
}

/** The same shape whichever system made it, so later steps need not know which one did. */
export interface CreatedTicket {
  readonly system: TicketSystem;
  /** Id for the system's API: Jira issue id, ServiceNow sys_id, GitHub issue number. */
  readonly id: string;
  /** What people quote: OPS-24, INC0010001, owner/repo#12. */
  readonly key: string;
  /** Page a person opens. */
  readonly url: string;
}

/** A system's base URL and Authorization header, and the values to keep out of errors. */
export interface TicketConnection {
  readonly baseUrl: string;
  readonly authorization: string;
  readonly secrets: readonly string[];
}
