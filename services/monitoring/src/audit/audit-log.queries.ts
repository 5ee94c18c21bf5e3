import { AUDIT_LIMITS, type AuditPage, type ListAuditV1, type PublicEvent } from '@caas/contracts';
import type { DataSource } from 'typeorm';

/** Whose rows a query may see: one tenant's, or (a platform admin's) everyone's. */
export type AuditScope = { readonly tenantId: string } | { readonly allTenants: true };

interface AuditRow {
  sequence: string;
  event_id: string;
  tenant_id: string | null;
  type: string;
  context: string;
  stream: string;
  revision: string;
  created: Date;
  schema_version: number;
  actor_type: string | null;
  actor_id: string | null;
  command: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  data: unknown;
}

/** Equality filters: query field → column. */
const EQUALS = {
  actor: 'actor_id',
  actorType: 'actor_type',
  type: 'type',
  command: 'command',
  context: 'context',
  stream: 'stream',
  correlationId: 'correlation_id',
} as const satisfies Partial<Record<keyof ListAuditV1, string>>;

/** Pages of `monitoring.audit_log`, newest first, by keyset on the sequence. */
export class AuditLogQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: AuditScope, filters: ListAuditV1): Promise<AuditPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if ('tenantId' in scope) where.push(`tenant_id = ${bind(scope.tenantId)}`);
    for (const [field, column] of Object.entries(EQUALS)) {
      const value = filters[field as keyof typeof EQUALS];
      if (value !== undefined) where.push(`${column} = ${bind(value)}`);
    }
    if (filters.from) where.push(`created >= ${bind(filters.from)}`);
    if (filters.to) where.push(`created <= ${bind(filters.to)}`);
    if (filters.before) where.push(`sequence < ${bind(filters.before)}`);
    const limit = filters.limit ?? AUDIT_LIMITS.defaultLimit;
    // One more than asked for: whether there is a next page, without counting.
    const rows: AuditRow[] = await this.dataSource.query(
      `select * from monitoring.audit_log
       ${where.length ? `where ${where.join(' and ')}` : ''}
       order by sequence desc limit ${bind(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(toPublicEvent);
    return { items, nextBefore: rows.length > limit ? items[items.length - 1].sequence : null };
  }
}

function toPublicEvent(row: AuditRow): PublicEvent {
  return {
    id: row.event_id,
    sequence: Number(row.sequence),
    type: row.type,
    context: row.context,
    schemaVersion: row.schema_version,
    tenantId: row.tenant_id,
    stream: row.stream,
    revision: row.revision,
    created: row.created.toISOString(),
    actor: row.actor_type && row.actor_id ? { type: row.actor_type as 'user', id: row.actor_id } : null,
    command: row.command,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    data: row.data,
  };
}
