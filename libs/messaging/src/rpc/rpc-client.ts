import { CaasError } from '@caas/contracts';
import type { ClientProxy } from '@nestjs/microservices';
import { NatsRecordBuilder } from '@nestjs/microservices';
// Not re-exported from the package root in Nest 11.
import { EmptyResponseException } from '@nestjs/microservices/errors/empty-response.exception';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { type RequestMeta, toHeaders } from './request-meta';

export const DEFAULT_RPC_TIMEOUT_MS = 5_000;

/**
 * Sends a command or query over NATS request/reply and turns every failure into a
 * CaasError: the service's typed error as it was thrown, `timeout` when nobody
 * answered in time, `unavailable` when NATS could not be reached.
 */
export class RpcClient {
  constructor(
    private readonly client: ClientProxy,
    private readonly timeoutMs = DEFAULT_RPC_TIMEOUT_MS,
  ) {}

  async request<Result>(
    pattern: string,
    payload: unknown,
    meta: RequestMeta,
    timeoutMs = this.timeoutMs,
  ): Promise<Result> {
    const record = new NatsRecordBuilder(payload).setHeaders(toHeaders(meta)).build();
    try {
      return await firstValueFrom(this.client.send<Result>(pattern, record).pipe(timeout(timeoutMs)));
    } catch (error) {
      throw toCaasError(error, pattern, timeoutMs);
    }
  }
}

function toCaasError(error: unknown, pattern: string, timeoutMs: number): CaasError {
  if (error instanceof CaasError) return error;
  if (CaasError.isBody(error)) return CaasError.fromBody(error);
  if (error instanceof TimeoutError)
    return new CaasError('timeout', `'${pattern}' got no answer within ${timeoutMs} ms`);
  // NATS answers "no responders" at once when no instance subscribes to the subject.
  if (error instanceof EmptyResponseException)
    return new CaasError('unavailable', `No service is answering '${pattern}'`);
  return new CaasError('internal', `'${pattern}' failed`);
}
