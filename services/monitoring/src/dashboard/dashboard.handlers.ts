import {
  DASHBOARD_TOP_TENANTS,
  MONITORING_DASHBOARD,
  PlatformDashboardQueryV1,
  type PlatformDashboardView,
  type TenantDashboardView,
  forbidden,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { readerTenant } from '@caas/messaging/src/rpc/tenant-scope';
import { Controller, Inject, type OnModuleDestroy, type OnModuleInit, UseFilters } from '@nestjs/common';
import { type ClientProxy, ClientProxyFactory, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import type { MonitoringConfig } from '../monitoring.config';
import { MONITORING_CONFIG, MONITORING_DATA_SOURCE } from '../shared/tokens';
import { DashboardPeers } from './dashboard-peers';
import { dashboardUsage } from './dashboard-usage';
import { DashboardQueries } from './dashboard.queries';

/**
 * The dashboards over NATS. A tenant's: any member or API key of the tenant in the
 * headers, never another's. The platform's: users with the platform-admin role only (an
 * API key is a tenant's and never qualifies).
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class DashboardHandlers implements OnModuleInit, OnModuleDestroy {
  private readonly queries: DashboardQueries;
  private proxy: ClientProxy | undefined;
  private peers: DashboardPeers | undefined;

  constructor(
    @Inject(MONITORING_DATA_SOURCE) dataSource: DataSource,
    @Inject(MONITORING_CONFIG) private readonly config: MonitoringConfig,
  ) {
    this.queries = new DashboardQueries(dataSource);
  }

  async onModuleInit(): Promise<void> {
    // Tenancy and billing are asked through Nest's NATS client, as every service asks another.
    this.proxy = ClientProxyFactory.create({
      transport: Transport.NATS,
      options: { servers: [this.config.natsUrl], name: 'monitoring-dashboard-client' },
    });
    await this.proxy.connect();
    this.peers = new DashboardPeers(new RpcClient(this.proxy));
  }

  async onModuleDestroy(): Promise<void> {
    await this.proxy?.close();
  }

  @MessagePattern(MONITORING_DASHBOARD.tenant)
  async tenant(@Meta() meta: RequestMeta): Promise<TenantDashboardView> {
    const tenantId = readerTenant(meta);
    const peers = this.peers!;
    const [figures, plan, bill] = await Promise.all([
      this.queries.tenant(tenantId),
      peers.plan(meta),
      peers.bill(meta),
    ]);
    return {
      tenantId,
      containers: figures.containers,
      services: figures.services,
      hosts: figures.hosts,
      usage: dashboardUsage(figures.demand, plan, figures.projectedPlan),
      recentEvents: figures.recentEvents,
      lastEventSequence: figures.lastEventSequence,
      monthToDateCost:
        'bill' in bill
          ? {
              period: bill.bill.period,
              currency: bill.bill.currency,
              total: bill.bill.total,
              closedThrough: bill.bill.closedThrough,
            }
          : null,
      monthToDateCostUnavailable: 'unavailable' in bill ? bill.unavailable : null,
    };
  }

  @MessagePattern(MONITORING_DASHBOARD.platform)
  async platform(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<PlatformDashboardView> {
    if (meta.actor.type !== 'user' || !meta.roles.includes('platform-admin')) {
      throw forbidden('The platform dashboard needs the platform-admin role');
    }
    const { top } = await validated(PlatformDashboardQueryV1, payload);
    return this.queries.platform(top ?? DASHBOARD_TOP_TENANTS.default);
  }
}
