import { randomUUID } from 'node:crypto';
import { type PrivateRegistry, eventually } from '@caas/testing';

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/**
 * The requests a registry served since `since` (a logMark taken before the step under
 * test), read from its access log: the one record of what a client really sent.
 */
export async function registryRequests(registry: PrivateRegistry, since: number): Promise<LoggedRequest[]> {
  const log = await settledLog(registry);
  return parse(log.slice(since, log.lastIndexOf(PROBE_PREFIX))).filter(
    (request) => !request.path.startsWith(PROBE_PREFIX),
  );
}

/** Where the log ends now, every request answered so far included: the mark for registryRequests. */
export async function logMark(registry: PrivateRegistry): Promise<number> {
  return (await settledLog(registry)).length;
}

const PROBE_PREFIX = '/v2/log-probe/';

/**
 * The log reaches us through a pipe, behind the responses: a probe request is sent and
 * awaited in the log, so every request answered before it is there too.
 * (logs() keeps the last 256 KB: marks hold for specs of a few hundred requests.)
 */
async function settledLog(registry: PrivateRegistry): Promise<string> {
  const probe = `${PROBE_PREFIX}${randomUUID()}/tags/list`;
  await (await fetch(`${registry.url}${probe}`)).arrayBuffer();
  return eventually(
    async () => registry.logs(),
    (log) => log.includes(`${probe} HTTP`),
    { timeoutMs: 5_000, intervalMs: 10 },
  );
}

function parse(log: string): LoggedRequest[] {
  return [...log.matchAll(/"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/g)].map((match) => ({
    method: match[1],
    path: match[2],
    status: Number(match[3]),
  }));
}
