import { CaasError, type PlanView } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlanRow, toPlanView } from './plan.projection';

@Injectable()
export class PlanQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<PlanView[]> {
    const rows = await this.dataSource.manager.find(PlanRow, { order: { maxContainers: 'ASC' } });
    return rows.map(toPlanView);
  }

  async get(planId: string): Promise<PlanView> {
    const row = await this.dataSource.manager.findOneBy(PlanRow, { planId });
    // A tenant's plan always exists (seeded, and checked when chosen): its absence is a broken read model.
    if (!row) throw new CaasError('internal', `plan '${planId}' is missing from the read model`);
    return toPlanView(row);
  }
}
