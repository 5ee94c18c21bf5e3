import type { EnvironmentView } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EnvironmentRow } from './tenant.projection';

@Injectable()
export class EnvironmentQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(tenantId: string): Promise<EnvironmentView[]> {
    const rows = await this.dataSource.manager.find(EnvironmentRow, { where: { tenantId }, order: { name: 'ASC' } });
    return rows.map(({ environmentId, name, createdAt }) => ({
      environmentId,
      name,
      createdAt: createdAt.toISOString(),
    }));
  }
}
