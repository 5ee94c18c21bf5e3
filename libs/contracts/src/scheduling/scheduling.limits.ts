/**
 * Bounds and defaults of the scheduling contract, version 1. One place, because the
 * contract classes validate against them, the security policy re-checks them, and
 * the API documentation quotes them.
 */
export const CONTAINER_LIMITS = {
  /** Hundredths of a CPU: fine enough for small sidecars, coarse enough to bill. */
  cpus: { min: 0.05, max: 64, decimals: 2 },
  memoryMb: { min: 16, max: 262_144 },
  pidsLimit: { min: 1, max: 4096 },
  imageLength: 512,
  commandItems: 256,
  commandItemLength: 4096,
  envEntries: 256,
  envNameLength: 256,
  envValueLength: 32_768,
  /** All names and values together: a container's environment is not a data store. */
  envTotalLength: 131_072,
  ports: 64,
  volumes: 16,
  volumeNameLength: 63,
  mountPathLength: 255,
  labels: 32,
  labelKeyLength: 63,
  labelValueLength: 255,
  constraints: 16,
  replicas: { min: 0, max: 100 },
  logTail: { min: 1, max: 10_000 },
  stopTimeoutSeconds: { min: 0, max: 300 },
} as const;

export const RESTART_POLICIES = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

export const PORT_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export const PLACEMENT_STRATEGIES = ['spread', 'binpack'] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];

export const SELECTOR_OPS = ['==', '!=', 'exists'] as const;
export type SelectorOp = (typeof SELECTOR_OPS)[number];

/** What an omitted optional field means. Applied by the service (the policy), not by the classes. */
export const CONTAINER_DEFAULTS = {
  pidsLimit: 512,
  restartPolicy: 'unless-stopped' as RestartPolicy,
  protocol: 'tcp' as PortProtocol,
  strategy: 'spread' as PlacementStrategy,
  healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 0 },
  /** One extra replica at a time, none taken down first: a rollout never lowers capacity. */
  update: { maxUnavailable: 0, maxSurge: 1 },
  logTail: 100,
} as const;

/**
 * The environment id of the platform's shared host pool. A host registered with it
 * serves every tenant environment that has no hosts of its own; a host registered
 * with a tenant's environment id serves that environment only (and that environment
 * then runs on its own hosts only).
 */
export const SHARED_POOL_ENVIRONMENT_ID = '00000000-0000-4000-8000-000000000000';
