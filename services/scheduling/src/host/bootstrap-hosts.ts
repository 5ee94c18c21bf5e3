import { randomUUID } from 'node:crypto';
import { CaasError, type PlatformRole, SHARED_POOL_ENVIRONMENT_ID } from '@caas/contracts';
import { systemContext } from '../reconciler/system-commands';
import { type HostCommandDeps, hostAt, registerEngine } from './host-registration';

export interface BootstrapLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface BootstrapOutcome {
  readonly endpoint: string;
  readonly hostId?: string;
  readonly outcome: 'registered' | 'already registered' | 'skipped';
}

/** Registering a host is a platform admin's decision; at start-up the platform takes it itself. */
const BOOTSTRAP_ROLES: readonly PlatformRole[] = ['platform-admin'];

/**
 * Registers the engines the operator configured (SCHEDULING_BOOTSTRAP_HOSTS) in the
 * shared pool, as the system actor — like Portainer's "local environment": `npm start`
 * gives a working cluster without an admin call. Engines already registered (and not
 * removed) are left alone; one that does not answer is logged and skipped, and tried
 * again at the next start. Never throws: a missing engine must not stop the service.
 * The check is this instance's cluster state: start one instance with bootstrap hosts
 * (a local platform runs one), or two starting together may both register an engine.
 */
export async function registerBootstrapHosts(
  deps: HostCommandDeps,
  endpoints: readonly string[],
  logger: BootstrapLogger,
): Promise<BootstrapOutcome[]> {
  // Distinct endpoints only, so the registrations can run at once without racing each other.
  return Promise.all([...new Set(endpoints)].map((endpoint) => registerOne(deps, endpoint, logger)));
}

async function registerOne(deps: HostCommandDeps, endpoint: string, logger: BootstrapLogger) {
  const existing = hostAt(deps.cluster, endpoint);
  if (existing !== undefined) {
    logger.log(`bootstrap host ${endpoint} is host ${existing} already`);
    return { endpoint, hostId: existing, outcome: 'already registered' } as const;
  }
  // A fresh id, never one derived from the endpoint: the reconciler removes containers
  // labelled with its host id that its store does not know, so two stores (a developer's
  // platform and a test's) naming the same engine alike would delete each other's.
  const hostId = randomUUID();
  try {
    const capacity = await registerEngine(deps, systemContext(null), {
      hostId,
      roles: BOOTSTRAP_ROLES,
      endpoint,
      labels: {},
      environmentId: SHARED_POOL_ENVIRONMENT_ID,
    });
    logger.log(`bootstrap host ${endpoint} registered as ${hostId} (${capacity.cpus} CPUs, ${capacity.memoryMb} MB)`);
    return { endpoint, hostId, outcome: 'registered' } as const;
  } catch (error) {
    // Registered meanwhile (through the API, or by another instance this one has seen).
    if (error instanceof CaasError && error.code === 'conflict') {
      return { endpoint, hostId: hostAt(deps.cluster, endpoint), outcome: 'already registered' } as const;
    }
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn(`bootstrap host ${endpoint} skipped (tried again at the next start): ${reason}`);
    return { endpoint, outcome: 'skipped' } as const;
  }
}
