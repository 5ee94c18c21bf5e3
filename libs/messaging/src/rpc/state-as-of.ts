import { AuditStateV1, CaasError, type StateAsOfView, invalid, notFound } from '@caas/contracts';
import { type Decider, type DomainEvent, replayStateAsOf } from '@caas/domain';
import { type EventStore, categoryOf } from '@caas/event-store';
import type { RequestMeta } from './request-meta';
import { validated } from './rpc-server';
import { tenantMember } from './tenant-scope';

/** How one public category's state is replayed, and what of it may be shown. */
export interface StateReplay {
  // Any decider: its command and event types do not matter to a replay.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly decider: Pick<Decider<any, DomainEvent<any, any>, any>, 'evolve' | 'initialState'>;
  /** Hides what must not leave the service (environment variable values); default: the state as is. */
  readonly mask?: (state: unknown) => unknown;
}

/**
 * `<service>.audit.state`: a stream's state as of a time, for the service that owns the
 * categories in `replays`. A category it does not answer for (another service's, or a
 * private one) is a validation error naming `stream`. Another tenant's stream, or one
 * with no event at or before `at`, is not_found; a platform-level stream (no tenant)
 * needs platform-admin. A platform admin without a tenant in scope reads every stream.
 */
export async function answerStateAsOf(
  store: EventStore,
  replays: Readonly<Record<string, StateReplay>>,
  payload: unknown,
  meta: RequestMeta,
): Promise<StateAsOfView> {
  const { stream, at } = await validated(AuditStateV1, payload);
  const category = categoryOf(stream);
  const replay = Object.hasOwn(replays, category) ? replays[category] : undefined;
  if (!replay) {
    throw invalid('stream', 'publicCategory', `The state of '${category}' streams cannot be asked for`);
  }
  const admin = meta.roles.includes('platform-admin');
  // Checked before reading: a caller in no tenant and no admin learns nothing about any stream.
  const callerTenant = meta.tenantId || !admin ? tenantMember(meta).tenantId : null;
  const found = await replayStateAsOf(store, replay.decider, stream, new Date(at));
  if (!found) throw notFound('stream', stream);
  if (found.tenantId === null) {
    if (!admin) throw new CaasError('forbidden', `'${stream}' is platform-level: its history needs platform-admin`);
  } else if (callerTenant !== null && found.tenantId !== callerTenant) {
    throw notFound('stream', stream);
  }
  return {
    stream,
    asOf: found.asOf.toISOString(),
    revision: found.revision.toString(),
    changedAt: found.changedAt.toISOString(),
    tenantId: found.tenantId,
    state: replay.mask ? replay.mask(found.state) : found.state,
  };
}

/** What a masked value becomes (as scheduling's relay masks `template.env`). */
export const MASKED_VALUE = '***';

/**
 * Masks every value of every `env` object anywhere in `value`, keeping the names: a
 * container's runtime spec and a service's templates carry the tenant's secrets there.
 */
export function maskEnvValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskEnvValues);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === 'env' ? maskedEnv(inner) : maskEnvValues(inner)]),
  );
}

/** `{NAME: value}` or Docker's `['NAME=value']`. */
function maskedEnv(env: unknown): unknown {
  if (Array.isArray(env))
    return env.map((entry) => (typeof entry === 'string' ? `${entry.split('=')[0]}=${MASKED_VALUE}` : MASKED_VALUE));
  if (typeof env !== 'object' || env === null) return env === undefined || env === null ? env : MASKED_VALUE;
  return Object.fromEntries(Object.keys(env).map((name) => [name, MASKED_VALUE]));
}
