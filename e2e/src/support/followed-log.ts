import type { Api } from './api';

export interface FollowedLine {
  readonly stream: string;
  readonly at: string;
  readonly line: string;
}

/** `GET /v1/containers/{id}/logs?follow=true`, read as it streams (NDJSON). */
export interface FollowedLog {
  readonly status: number;
  readonly contentType: string | null;
  /** Every line received so far, in order. */
  readonly lines: readonly FollowedLine[];
  /** 'ended' when the server ended the response, 'cancelled' after cancel(), 'still open' after `withinMs`. */
  ended(withinMs: number): Promise<'ended' | 'cancelled' | 'still open'>;
  cancel(): void;
}

/** Resolves once the response headers are in; the body keeps being read in the background. */
export async function followLog(api: Api, token: string, containerId: string, tail = 1): Promise<FollowedLog> {
  const abort = new AbortController();
  const response = await fetch(`${api.baseUrl}/v1/containers/${containerId}/logs?follow=true&tail=${tail}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  const lines: FollowedLine[] = [];
  const reading = read(response, lines).then(
    () => 'ended' as const,
    () => 'cancelled' as const,
  );
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    lines,
    ended: (withinMs) => {
      let timer: NodeJS.Timeout | undefined;
      // Cleared once settled: a pending timer would keep jest from exiting.
      const open = new Promise<'still open'>((resolve) => (timer = setTimeout(() => resolve('still open'), withinMs)));
      return Promise.race([reading, open]).finally(() => clearTimeout(timer));
    },
    cancel: () => abort.abort(),
  };
}

async function read(response: Response, lines: FollowedLine[]): Promise<void> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) if (text.trim()) lines.push(JSON.parse(text) as FollowedLine);
  }
}
