/**
 * What the scheduler asks a host's runtime (a Docker engine, later Kubernetes) to run:
 * already validated, already placed, already made safe. The security policy
 * (`policy/`) turns a tenant's container spec into this; the Docker driver
 * (`runtime/docker/`) turns this into an engine call and adds nothing a tenant chose.
 */
export interface RuntimeContainerSpec {
  /** Engine-side name, unique per host: `caas-<tenantId8>-<containerId>`. */
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly ports: readonly PortBinding[];
  readonly resources: RuntimeResources;
  /** Tenant-scoped named volumes: `volumeName` is already prefixed with the tenant. */
  readonly volumes: readonly VolumeMount[];
  readonly restartPolicy: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /** caas.tenant, caas.container, caas.service, caas.replica, … — how observed state is matched to desired state. */
  readonly labels: Readonly<Record<string, string>>;
  /** The tenant's own network on this host (`caas-tenant-<tenantId>`). */
  readonly network: string;
  readonly healthCheck?: HealthCheck;
}

export interface RuntimeResources {
  /** CPUs as a fraction (0.5 = half a core); becomes NanoCpus. */
  readonly cpus: number;
  readonly memoryMb: number;
  readonly pidsLimit: number;
}

export interface PortBinding {
  readonly containerPort: number;
  /** Allocated by the platform on the chosen host; never chosen by the tenant. */
  readonly hostPort: number;
  readonly protocol: 'tcp' | 'udp';
  /** The host address to bind; 127.0.0.1 on the local test engines. */
  readonly hostIp: string;
}

export interface VolumeMount {
  readonly volumeName: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

export interface HealthCheck {
  /** Run inside the container, e.g. ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/']. */
  readonly test: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

/** Labels every platform container carries. */
export const LABELS = {
  managed: 'caas.managed',
  tenant: 'caas.tenant',
  container: 'caas.container',
  service: 'caas.service',
  replica: 'caas.replica',
  host: 'caas.host',
} as const;
