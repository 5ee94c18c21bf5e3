/**
 * Whether a webhook's filters take an event type: `*` takes every type, `Container*`
 * every type starting with `Container`, anything else exactly that type.
 */
export function matchesEventTypes(filters: readonly string[], eventType: string): boolean {
  return filters.some((filter) =>
    filter.endsWith('*') ? eventType.startsWith(filter.slice(0, -1)) : filter === eventType,
  );
}

/** Filters as recorded: each once, in the order given. */
export function normalizedEventTypes(filters: readonly string[]): string[] {
  return [...new Set(filters)];
}
