import type { ApiKeyView, AuthenticatedApiKey, TenantRole } from '@caas/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantRow } from '../tenant/tenant.projection';
import { hashApiKeySecret, looksLikeApiKeySecret } from './api-key-secret';
import { ApiKeyRow, ApiKeySecretRow } from './apikey.projection';

@Injectable()
export class ApiKeyQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Never the secret or its hash: those are not in this table. */
  async list(tenantId: string): Promise<ApiKeyView[]> {
    const rows = await this.dataSource.manager.find(ApiKeyRow, { where: { tenantId }, order: { createdAt: 'ASC' } });
    return rows.map(({ keyId, name, role, prefix, status, createdAt }) => ({
      keyId,
      name,
      role: role as TenantRole,
      prefix,
      status,
      createdAt: createdAt.toISOString(),
    }));
  }

  /** The active key the secret belongs to, in a tenant that still exists; undefined otherwise. */
  async bySecret(secret: string): Promise<AuthenticatedApiKey | undefined> {
    if (!looksLikeApiKeySecret(secret)) return undefined;
    const row = await this.dataSource
      .createQueryBuilder(ApiKeySecretRow, 's')
      .innerJoin(ApiKeyRow, 'k', "k.keyId = s.keyId AND k.status = 'active'")
      .innerJoin(TenantRow, 't', "t.tenantId = k.tenantId AND t.status <> 'deleted'")
      .select('k.keyId', 'keyId')
      .addSelect('k.tenantId', 'tenantId')
      .addSelect('k.role', 'role')
      .where('s.secretHash = :hash', { hash: hashApiKeySecret(secret) })
      .getRawOne<AuthenticatedApiKey>();
    return row ?? undefined;
  }
}
