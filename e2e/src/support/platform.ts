import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import {
  type PrivateNats,
  type PrivateRegistry,
  type ScratchDatabase,
  type ServiceProcess,
  type TokenSigningKey,
  createScratchDatabase,
  createTokenSigningKey,
  freePort,
  startPrivateNats,
  startPrivateRegistry,
  startServiceProcess,
} from '@caas/testing';
import { Api } from './api';
import { dockerHosts, removeHostContainers, removeRegistryImages } from './engines';

/** The test database (from .local/env, loaded by jest.setup.js): event store and read models. */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');
  return url;
}

export interface PlatformOptions {
  /** The platform admin tenancy seeds at start (BOOTSTRAP_ADMIN_EMAIL / _PASSWORD). */
  readonly admin: { readonly email: string; readonly password: string };
  /** More environment for the gateway, e.g. RPC_TIMEOUT_MS. */
  readonly gatewayEnv?: Record<string, string>;
  /** Runs the scheduling service too, and then the whole platform on a scratch database. */
  readonly scheduling?: SchedulingOptions;
  /**
   * Runs the images service too, with a registry of the platform's own (token auth from
   * this platform's gateway, notifications to it), as infra/local/registry.sh runs one.
   */
  readonly images?: boolean;
  /**
   * Runs the billing service too, on a scratch database (its invoices and meters are the
   * platform's, not every run's), with a clock that looks for hours to close every
   * 500 ms and closes an hour as soon as it is over (no grace for late facts).
   */
  readonly billing?: boolean;
  /** Runs the monitoring service too (audit, dashboards, webhooks), on a scratch database. */
  readonly monitoring?: boolean;
  /** More environment for monitoring, e.g. MONITORING_WEBHOOK_ALLOW_HOSTS. */
  readonly monitoringEnv?: Record<string, string>;
}

/** The platform registry of an e2e platform and what its images service signs with. */
export interface PlatformRegistry {
  readonly registry: PrivateRegistry;
  readonly signingKey: TokenSigningKey;
  readonly service: string;
  readonly issuer: string;
}

const REGISTRY_SERVICE = 'caas-registry';
const REGISTRY_ISSUER = 'caas-images';

export interface SchedulingOptions {
  /** Engines registered at start (SCHEDULING_BOOTSTRAP_HOSTS), e.g. from `dockerHosts()`. */
  readonly bootstrapHosts: readonly string[];
  /**
   * SCHEDULING_PORT_RANGE: host ports of this spec file's own. Every suite publishes on
   * the same engines' loopback address; scheduling's own specs take 30000-32399.
   */
  readonly portRange: string;
}

export interface RunningGateway {
  readonly process: ServiceProcess;
  readonly api: Api;
}

/**
 * The platform as `npm start` runs it (infra/local/services.sh): every service a child
 * process, `node -r @swc-node/register services/<name>/src/main.ts`, configured by its
 * environment only — on the test PostgreSQL (always the PostgreSQL event store) and a
 * nats-server of the spec file's own, so a developer's platform on the shared NATS never
 * answers the spec's requests, nor the spec's services theirs.
 */
export class Platform {
  private readonly gateways: ServiceProcess[] = [];

  private constructor(
    readonly nats: PrivateNats,
    readonly databaseUrl: string,
    /** Shared by every gateway of the platform: each accepts the others' tokens. */
    readonly jwtSecret: string,
    private readonly options: PlatformOptions,
    readonly tenancy: ServiceProcess,
    readonly gateway: RunningGateway,
    readonly scheduling: ServiceProcess | undefined,
    private readonly scratch: ScratchDatabase | undefined,
    readonly images: ServiceProcess | undefined,
    readonly registry: PlatformRegistry | undefined,
    readonly billing: ServiceProcess | undefined,
    readonly monitoring: ServiceProcess | undefined,
  ) {
    this.gateways.push(gateway.process);
  }

  get api(): Api {
    return this.gateway.api;
  }

  static async start(options: PlatformOptions): Promise<Platform> {
    // A scheduler manages every host in its store: on the shared test database it would
    // heartbeat and reconcile other specs' hosts, and billing would meter, invoice and
    // list every earlier run's tenants; with either the platform gets a database of its own.
    const scratch =
      options.scheduling || options.billing || options.monitoring ? await createScratchDatabase('caas_e2e') : undefined;
    const databaseUrl = scratch?.url ?? testDatabaseUrl();
    const nats = await startPrivateNats({ jetstream: true });
    if (!nats) throw new Error('The e2e specs need a nats-server binary (`npm run infra:up` installs it)');
    const jwtSecret = randomBytes(32).toString('base64url');
    const started: ServiceProcess[] = [];
    // The registry's realm and notification URL name the gateway: its port comes first.
    const gatewayPort = await freePort();
    const notifySecret = randomBytes(24).toString('base64url');
    let registry: PlatformRegistry | undefined;
    try {
      if (options.images) registry = await startPlatformRegistry(gatewayPort, notifySecret);
      const gatewayEnv = {
        PORT: String(gatewayPort),
        ...(registry ? { REGISTRY_NOTIFY_SECRET: notifySecret } : {}),
        ...options.gatewayEnv,
      };
      // All at once: the gateway is ready when its health check reaches tenancy.
      const [tenancy, gateway, scheduling, images, billing, monitoring] = await Promise.all([
        startServiceProcess('tenancy', {
          DATABASE_URL: databaseUrl,
          NATS_URL: nats.url,
          BOOTSTRAP_ADMIN_EMAIL: options.admin.email,
          BOOTSTRAP_ADMIN_PASSWORD: options.admin.password,
        }).then(track(started)),
        startGatewayProcess(nats.url, databaseUrl, jwtSecret, gatewayEnv).then(track(started)),
        options.scheduling
          ? startSchedulingProcess(nats.url, databaseUrl, options.scheduling, registry).then(track(started))
          : undefined,
        registry ? startImagesProcess(nats.url, databaseUrl, registry).then(track(started)) : undefined,
        options.billing ? startBillingProcess(nats.url, databaseUrl).then(track(started)) : undefined,
        options.monitoring
          ? startMonitoringProcess(nats.url, databaseUrl, options.monitoringEnv).then(track(started))
          : undefined,
      ]);
      return new Platform(
        nats,
        databaseUrl,
        jwtSecret,
        options,
        tenancy,
        gatewayOf(gateway),
        scheduling,
        scratch,
        images,
        registry,
        billing,
        monitoring,
      );
    } catch (error) {
      // A service still starting is killed by the jest environment when the file ends.
      await Promise.allSettled(started.map((service) => service.stop()));
      await nats.stop();
      await stopPlatformRegistry(registry);
      await scratch?.drop();
      throw error;
    }
  }

  /** One more gateway instance on the same NATS, database and JWT_SECRET. */
  async startGateway(env: Record<string, string> = {}): Promise<RunningGateway> {
    const gateway = await startGatewayProcess(this.nats.url, this.databaseUrl, this.jwtSecret, {
      ...this.options.gatewayEnv,
      ...env,
    });
    this.gateways.push(gateway);
    return gatewayOf(gateway);
  }

  /** The hosts scheduling registered, as the bootstrap admin sees them through the API. */
  async hostIds(): Promise<string[]> {
    const token = await this.api.login(this.options.admin.email, this.options.admin.password);
    const { body } = await this.api.expect<Array<{ hostId: string }>>(200, 'GET', '/v1/hosts', { token });
    return body.map((host) => host.hostId);
  }

  /**
   * Stops every service (SIGTERM, as services.sh does), then NATS; with scheduling, removes
   * what it placed on the engines and drops the scratch database.
   */
  async stop(): Promise<void> {
    // Asked while the platform still answers; removed once scheduling no longer reconciles.
    const hostIds = this.scheduling ? await this.hostIds().catch(() => []) : [];
    const services = [this.tenancy, this.scheduling, this.images, this.billing, this.monitoring].filter(
      (s): s is ServiceProcess => !!s,
    );
    await Promise.allSettled([...this.gateways, ...services].map((service) => service.stop()));
    await this.nats.stop();
    await stopPlatformRegistry(this.registry);
    if (this.options.scheduling) await removeHostContainers(this.options.scheduling.bootstrapHosts, hostIds);
    if (this.registry) await removeRegistryImages(await dockerHosts(), this.registry.registry.host);
    await this.scratch?.drop();
  }
}

async function startGatewayProcess(
  natsUrl: string,
  databaseUrl: string,
  jwtSecret: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  return startServiceProcess('gateway', {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    JWT_SECRET: jwtSecret,
    HOST: '127.0.0.1',
    PORT: env.PORT ?? String(await freePort()),
    ...env,
  });
}

/** Ready once it listens on NATS, which it does only after registering its bootstrap hosts. */
function startSchedulingProcess(
  natsUrl: string,
  databaseUrl: string,
  options: SchedulingOptions,
  registry: PlatformRegistry | undefined,
): Promise<ServiceProcess> {
  return startServiceProcess(
    'scheduling',
    {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      SCHEDULING_BOOTSTRAP_HOSTS: options.bootstrapHosts.join(','),
      SCHEDULING_PORT_RANGE: options.portRange,
      // Images of this platform's registry are pulled with tokens from its images service.
      ...(registry ? { REGISTRY_URL: registry.registry.url } : {}),
    },
    { ready: { logLine: /listening on NATS/ } },
  );
}

async function startPlatformRegistry(gatewayPort: number, notifySecret: string): Promise<PlatformRegistry> {
  const signingKey = await createTokenSigningKey();
  const gateway = `http://127.0.0.1:${gatewayPort}/v1/registry`;
  try {
    const registry = await startPrivateRegistry({
      auth: {
        kind: 'token',
        realm: `${gateway}/token`,
        service: REGISTRY_SERVICE,
        issuer: REGISTRY_ISSUER,
        rootCertBundlePath: signingKey.certPath,
      },
      notifications: { url: `${gateway}/events`, headers: { Authorization: `Bearer ${notifySecret}` } },
    });
    return { registry, signingKey, service: REGISTRY_SERVICE, issuer: REGISTRY_ISSUER };
  } catch (error) {
    await rm(signingKey.dir, { recursive: true, force: true });
    throw error;
  }
}

async function stopPlatformRegistry(platformRegistry: PlatformRegistry | undefined): Promise<void> {
  if (!platformRegistry) return;
  await platformRegistry.registry.stop();
  await rm(platformRegistry.signingKey.dir, { recursive: true, force: true });
}

function startImagesProcess(natsUrl: string, databaseUrl: string, registry: PlatformRegistry): Promise<ServiceProcess> {
  return startServiceProcess(
    'images',
    {
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      REGISTRY_URL: registry.registry.url,
      REGISTRY_SERVICE: registry.service,
      REGISTRY_ISSUER: registry.issuer,
      REGISTRY_TOKEN_KEY_PATH: registry.signingKey.keyPath,
      REGISTRY_TOKEN_CERT_PATH: registry.signingKey.certPath,
    },
    { ready: { logLine: /listening on NATS/ } },
  );
}

/**
 * Meters what JetStream carries (tenancy's, scheduling's and images' facts on this
 * platform's NATS); ready once it answers billing.* on NATS. BILLING_CLOCK_INTERVAL_MS
 * and BILLING_HOUR_GRACE_MS as services/billing/src/billing.config.ts reads them.
 */
function startBillingProcess(natsUrl: string, databaseUrl: string): Promise<ServiceProcess> {
  return startServiceProcess(
    'billing',
    { DATABASE_URL: databaseUrl, NATS_URL: natsUrl, BILLING_CLOCK_INTERVAL_MS: '500', BILLING_HOUR_GRACE_MS: '0' },
    { ready: { logLine: /answering billing\.\*/ } },
  );
}

/** Audit, dashboards and webhooks from this platform's JetStream; ready once it answers monitoring.* on NATS. */
function startMonitoringProcess(
  natsUrl: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  return startServiceProcess(
    'monitoring',
    { DATABASE_URL: databaseUrl, NATS_URL: natsUrl, ...env },
    { ready: { logLine: /answering monitoring\.\*/ } },
  );
}

function gatewayOf(gateway: ServiceProcess): RunningGateway {
  return { process: gateway, api: new Api(`http://${gateway.env.HOST}:${gateway.env.PORT}`) };
}

function track(started: ServiceProcess[]) {
  return (service: ServiceProcess) => {
    started.push(service);
    return service;
  };
}
