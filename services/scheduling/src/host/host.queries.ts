import { type HostView, notFound } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import { ContainerRow } from '../container/container.projection';
import { HostRow } from './host.projection';

interface Allocation {
  hostId: string;
  containers: number;
  cpus: number;
  memoryMb: number;
}

/** Platform admins' view of hosts (no tenant scoping: hosts are the platform's). */
@Injectable()
export class HostQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** A removed host is still answered by id (status removed): admins look them up. */
  async get(hostId: string): Promise<HostView> {
    const row = await this.dataSource.manager.findOneBy(HostRow, { hostId });
    if (!row) throw notFound('host', hostId);
    const allocations = await this.allocations([hostId]);
    return toHostView(row, allocations.get(hostId));
  }

  /** Every host that is not removed. */
  async list(): Promise<HostView[]> {
    const rows = await this.dataSource.manager.find(HostRow, {
      where: { status: Not('removed') },
      order: { hostId: 'ASC' },
    });
    const allocations = await this.allocations(rows.map((row) => row.hostId));
    return rows.map((row) => toHostView(row, allocations.get(row.hostId)));
  }

  /**
   * What the containers placed on each host reserve: every one not yet removed, also
   * those being deleted — they hold their resources until they are gone from the host.
   */
  private async allocations(hostIds: string[]): Promise<Map<string, Allocation>> {
    if (hostIds.length === 0) return new Map();
    const rows = await this.dataSource
      .createQueryBuilder(ContainerRow, 'c')
      .select('c.hostId', 'hostId')
      .addSelect('count(*)::int', 'containers')
      .addSelect('sum(c.cpus)::float8', 'cpus')
      .addSelect('sum(c.memoryMb)::int', 'memoryMb')
      .where({ hostId: In(hostIds), status: Not('removed') })
      .groupBy('c.hostId')
      .getRawMany<Allocation>();
    return new Map(rows.map((row) => [row.hostId, row]));
  }
}

function toHostView(row: HostRow, allocation: Allocation | undefined): HostView {
  return {
    hostId: row.hostId,
    endpoint: row.endpoint,
    environmentId: row.environmentId,
    labels: row.labels,
    dedicatedTenantId: row.dedicatedTenantId,
    status: row.status,
    capacity: { cpus: row.capacityCpus, memoryMb: row.capacityMemoryMb },
    allocated: { cpus: allocation?.cpus ?? 0, memoryMb: allocation?.memoryMb ?? 0 },
    containers: allocation?.containers ?? 0,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
  };
}
