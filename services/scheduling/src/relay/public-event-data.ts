import type { RecordedEvent } from '@caas/event-store';

/** What a masked environment variable's value becomes on the wire. */
export const MASKED = '***';

/**
 * The copy of an event other services get. ServiceCreated and ServiceUpdated carry the
 * revision's whole template, and `template.env` holds the tenant's secrets: its values
 * are masked, its names kept (consumers may show which variables are set). Every other
 * event goes out as stored.
 */
export function publicEventData(event: RecordedEvent): unknown {
  if (event.type !== 'ServiceCreated' && event.type !== 'ServiceUpdated') return event.data;
  const data = event.data as { template?: { env?: Record<string, unknown> } } | null;
  const env = data?.template?.env;
  if (!env || typeof env !== 'object') return event.data;
  const masked = Object.fromEntries(Object.keys(env).map((name) => [name, MASKED]));
  return { ...data, template: { ...data.template, env: masked } };
}
