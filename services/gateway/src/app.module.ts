import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { type ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import type { NatsConnection } from 'nats';
import { Pool } from 'pg';
import { AccessGuard } from './auth/access.guard';
import { Authenticator } from './auth/authenticator';
import { TokenService } from './auth/token.service';
import type { GatewayConfig } from './config';
import { HttpErrorFilter } from './http/http-error.filter';
import { createValidationPipe } from './http/validation.pipe';
import { IdempotencyCrypto } from './idempotency/idempotency-crypto';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyService } from './idempotency/idempotency.service';
import { PgIdempotencyStore } from './idempotency/idempotency.store';
import { ApiKeysController } from './routes/api-keys.controller';
import { AuthController } from './routes/auth.controller';
import { EnvironmentsController } from './routes/environments.controller';
import { InvitationsController, MembersController } from './routes/members.controller';
import { AdminController, PlansController } from './routes/platform.controller';
import { TenantController, TenantsController } from './routes/tenants.controller';
import { HealthController } from './routes/health.controller';
import { ContainerLogsController } from './routes/container-logs.controller';
import { ContainersController } from './routes/containers.controller';
import { HostsController } from './routes/hosts.controller';
import { PlatformRolesController } from './routes/platform-roles.controller';
import { ServicesController } from './routes/services.controller';
import { LogFollower } from './logs/log-follower';
import { RegistryController } from './routes/registry.controller';
import { RepositoriesController } from './routes/repositories.controller';
import { TransfersController } from './routes/transfers.controller';
import { MarketController } from './routes/market.controller';
import { BillingController } from './routes/billing.controller';
import { FinanceController } from './routes/finance.controller';
import { WebhooksController } from './routes/webhooks.controller';
import { DashboardController } from './routes/dashboard.controller';
import { AuditController } from './routes/audit.controller';
import { EventFeed, EVENT_FEED_DEFAULTS } from './events/event-feed';
import { EventsController } from './events/events.controller';
import { RegistryLogin } from './auth/registry-login';
import { RegistryNotifyAuth } from './auth/registry-notify-auth';

export const GATEWAY_CONFIG = Symbol('GatewayConfig');
export const PG_POOL = Symbol('PgPool');
export const NATS_CLIENT = Symbol('NatsClient');

const PURGE_INTERVAL_MS = 10 * 60 * 1_000;

/** Opens nothing itself; closes the pool and the NATS connection once the HTTP server has drained. */
@Injectable()
class Resources implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  private purgeTimer?: NodeJS.Timeout;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NATS_CLIENT) private readonly nats: ClientProxy,
    @Inject(PgIdempotencyStore) private readonly idempotency: PgIdempotencyStore,
  ) {}

  onApplicationBootstrap(): void {
    // Expired keys are also reused lazily on claim; this keeps the table from growing.
    const purge = () =>
      this.idempotency.purgeExpired().catch((error) => this.logger.warn(`Idempotency purge failed: ${error}`));
    void purge();
    this.purgeTimer = setInterval(purge, PURGE_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.nats.close();
    await this.pool.end();
  }
}

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        HealthController,
        AuthController,
        TenantsController,
        TenantController,
        MembersController,
        InvitationsController,
        ApiKeysController,
        EnvironmentsController,
        PlansController,
        AdminController,
        PlatformRolesController,
        HostsController,
        ContainersController,
        ContainerLogsController,
        ServicesController,
        RegistryController,
        RepositoriesController,
        TransfersController,
        MarketController,
        BillingController,
        FinanceController,
        WebhooksController,
        DashboardController,
        AuditController,
        EventsController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        {
          provide: PG_POOL,
          useFactory: async () => {
            const pool = new Pool({ connectionString: config.databaseUrl, max: 10 });
            await PgIdempotencyStore.migrate(pool);
            return pool;
          },
        },
        {
          provide: NATS_CLIENT,
          useFactory: async () => {
            const client = ClientProxyFactory.create({
              transport: Transport.NATS,
              options: { servers: [config.natsUrl], name: 'caas-gateway' },
            });
            await client.connect();
            return client;
          },
        },
        {
          provide: RpcClient,
          useFactory: (client: ClientProxy) => new RpcClient(client, config.rpcTimeoutMs),
          inject: [NATS_CLIENT],
        },
        {
          // Followed logs need what request/reply cannot do: an inbox to subscribe to.
          provide: LogFollower,
          useFactory: (client: ClientProxy, rpc: RpcClient) => new LogFollower(client.unwrap<NatsConnection>(), rpc),
          inject: [NATS_CLIENT, RpcClient],
        },
        {
          // The live event feed reads CAAS_EVENTS with JetStream consumers on the same connection.
          provide: EventFeed,
          useFactory: (client: ClientProxy) =>
            new EventFeed(client.unwrap<NatsConnection>(), { ...EVENT_FEED_DEFAULTS, ...config.eventFeed }),
          inject: [NATS_CLIENT],
        },
        { provide: TokenService, useValue: new TokenService(config.jwtSecret) },
        { provide: RegistryNotifyAuth, useValue: new RegistryNotifyAuth(config.registryNotifySecret) },
        {
          provide: RegistryLogin,
          useFactory: (authenticator: Authenticator, rpc: RpcClient) => new RegistryLogin(authenticator, rpc),
          inject: [Authenticator, RpcClient],
        },
        {
          provide: Authenticator,
          useFactory: (tokens: TokenService, rpc: RpcClient) =>
            new Authenticator(tokens, rpc, config.credentialCacheMs),
          inject: [TokenService, RpcClient],
        },
        {
          provide: PgIdempotencyStore,
          useFactory: (pool: Pool) =>
            new PgIdempotencyStore(pool, { ttlMs: config.idempotencyTtlMs, lockMs: config.idempotencyLockMs }),
          inject: [PG_POOL],
        },
        {
          provide: IdempotencyService,
          useFactory: (store: PgIdempotencyStore) =>
            new IdempotencyService(store, new IdempotencyCrypto(config.jwtSecret)),
          inject: [PgIdempotencyStore],
        },
        Resources,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
