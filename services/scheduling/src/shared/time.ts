/** Milliseconds since the epoch of an ISO 8601 time; NaN when it is not one. */
export const millisOf = (iso: string): number => Date.parse(iso);

/** Now, as the ISO 8601 time events carry. */
export const nowIso = (): string => new Date().toISOString();
