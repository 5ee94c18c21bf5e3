import type { PlanView } from '@caas/contracts';
import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, PrimaryColumn } from 'typeorm';
import { recordedAs } from '@caas/domain';
import type { PlanEvent } from './plan.events';

@Entity({ name: 'plans' })
export class PlanRow {
  @PrimaryColumn('text', { name: 'plan_id' })
  planId!: string;

  @Column('text')
  name!: string;

  @Column('int', { name: 'max_containers' })
  maxContainers!: number;

  @Column('int', { name: 'max_vcpu' })
  maxVcpu!: number;

  @Column('int', { name: 'max_memory_mb' })
  maxMemoryMb!: number;

  @Column('int', { name: 'max_volume_gb' })
  maxVolumeGb!: number;

  @Column('int', { name: 'max_concurrent_builds' })
  maxConcurrentBuilds!: number;

  @Column('timestamptz', { name: 'defined_at' })
  definedAt!: Date;
}

export async function projectPlanEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<PlanEvent>(recorded);
  switch (event.type) {
    case 'PlanDefined': {
      const { planId, name, quotas } = event.data;
      await manager.upsert(PlanRow, { planId, name, ...quotas, definedAt: event.created }, ['planId']);
      return;
    }
  }
}

export function toPlanView(row: PlanRow): PlanView {
  const { planId, name, maxContainers, maxVcpu, maxMemoryMb, maxVolumeGb, maxConcurrentBuilds } = row;
  return { planId, name, quotas: { maxContainers, maxVcpu, maxMemoryMb, maxVolumeGb, maxConcurrentBuilds } };
}
