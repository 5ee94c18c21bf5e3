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

  @Column('int', { name: 'max_image_storage_mb' })
  maxImageStorageMb!: number;

  @Column('timestamptz', { name: 'defined_at' })
  definedAt!: Date;
}

export async function projectPlanEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<PlanEvent>(recorded);
  switch (event.type) {
    case 'PlanDefined': {
      const { planId, name, quotas } = event.data;
      // Plans defined before image storage had a quota had none: 0 until redefined (every start seeds).
      const row = {
        planId,
        name,
        ...quotas,
        maxImageStorageMb: quotas.maxImageStorageMb ?? 0,
        definedAt: event.created,
      };
      await manager.upsert(PlanRow, row, ['planId']);
      return;
    }
  }
}

export function toPlanView(row: PlanRow): PlanView {
  const { planId, name, maxContainers, maxVcpu, maxMemoryMb, maxVolumeGb, maxConcurrentBuilds, maxImageStorageMb } =
    row;
  const quotas = { maxContainers, maxVcpu, maxMemoryMb, maxVolumeGb, maxConcurrentBuilds, maxImageStorageMb };
  return { planId, name, quotas };
}
