import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';
import { recordedAs } from '@caas/domain';
import type { ApiKeySecretSet } from './api-key-secret';
import type { ApiKeyEvent } from './apikey.events';

@Entity({ name: 'api_keys' })
@Index('api_keys_tenant', ['tenantId'])
export class ApiKeyRow {
  @PrimaryColumn('text', { name: 'key_id' })
  keyId!: string;

  @Column('text', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  role!: string;

  @Column('text')
  prefix!: string;

  @Column('text')
  status!: 'active' | 'revoked';

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** Internal lookup for verification only; no query ever returns it. */
@Entity({ name: 'api_key_secrets' })
export class ApiKeySecretRow {
  @PrimaryColumn('text', { name: 'secret_hash' })
  secretHash!: string;

  @Column('text', { name: 'key_id' })
  keyId!: string;
}

export async function projectApiKeyEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<ApiKeyEvent>(recorded);
  switch (event.type) {
    case 'ApiKeyCreated': {
      const { keyId, tenantId, name, role, prefix } = event.data;
      const row = { keyId, tenantId, name, role, prefix, status: 'active' as const, createdAt: event.created };
      await manager.upsert(ApiKeyRow, row, ['keyId']);
      return;
    }
    case 'ApiKeyRevoked':
      await manager.update(ApiKeyRow, { keyId: event.data.keyId }, { status: 'revoked' });
      return;
  }
}

export async function projectApiKeySecretEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<ApiKeySecretSet>(recorded);
  switch (event.type) {
    case 'ApiKeySecretSet':
      await manager.upsert(ApiKeySecretRow, event.data, ['secretHash']);
      return;
  }
}
