import { CaasError } from '@caas/contracts';
import { WrongExpectedVersionError } from '@caas/event-store';
import { Logger } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { RpcErrorFilter } from './rpc-server';

/** What a caller receives for an error thrown in a handler. */
async function answerFor(exception: unknown): Promise<unknown> {
  return lastValueFrom(new RpcErrorFilter().catch(exception)).catch((body: unknown) => body);
}

describe('RpcErrorFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('answers a revision conflict that outlasted every retry as a conflict the client may retry', async () => {
    const body = await answerFor(new WrongExpectedVersionError('tenant-1', 56n, 57n));
    expect(body).toMatchObject({ code: 'conflict' });
  });

  it('keeps a domain error as it was thrown', async () => {
    const body = await answerFor(new CaasError('not_found', "tenant 'x' not found"));
    expect(body).toMatchObject({ code: 'not_found', message: "tenant 'x' not found" });
  });

  it('answers anything unexpected as internal, without its message', async () => {
    const body = await answerFor(new Error('relation "x" does not exist'));
    expect(body).toEqual(expect.objectContaining({ code: 'internal', message: 'Internal error' }));
  });
});
