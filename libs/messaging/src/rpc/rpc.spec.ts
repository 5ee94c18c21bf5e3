import { randomUUID } from 'node:crypto';
import { CaasError } from '@caas/contracts';
import { Controller, type INestMicroservice, Module, UseFilters } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Payload, Transport, type ClientProxy } from '@nestjs/microservices';
import { IsInt, IsString, Max, MaxLength } from 'class-validator';
import type { RequestMeta } from './request-meta';
import { RpcClient } from './rpc-client';
import { Meta, RpcErrorFilter, natsMicroservice, validated } from './rpc-server';

const NATS_URL = process.env.NATS_URL;
if (!NATS_URL) throw new Error('NATS_URL is not set: start the infrastructure with `npm run infra:up`');

/** A unique subject prefix per run keeps parallel runs from answering each other. */
const prefix = `rpctest.${randomUUID().slice(0, 8)}`;

class RenameThing {
  @IsString()
  @MaxLength(10)
  name!: string;

  @IsInt()
  @Max(5)
  size!: number;
}

function testController(instance: string) {
  @Controller()
  @UseFilters(RpcErrorFilter)
  class TestController {
    @MessagePattern(`${prefix}.echo`)
    echo(@Payload() payload: unknown, @Meta() meta: RequestMeta) {
      return { payload, meta, instance };
    }

    @MessagePattern(`${prefix}.fail`)
    fail(@Payload() payload: { code: CaasError['code'] }) {
      throw new CaasError(payload.code, `failed with ${payload.code}`, { details: { limit: 'maxContainers' } });
    }

    @MessagePattern(`${prefix}.crash`)
    crash() {
      throw new Error('SELECT secret FROM somewhere failed');
    }

    @MessagePattern(`${prefix}.rename`)
    async rename(@Payload() payload: unknown) {
      return validated(RenameThing, payload);
    }

    @MessagePattern(`${prefix}.slow`)
    async slow() {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return 'late';
    }
  }
  return TestController;
}

async function startService(instance: string): Promise<INestMicroservice> {
  @Module({ controllers: [testController(instance)] })
  class TestModule {}
  const app = await NestFactory.createMicroservice(TestModule, {
    ...natsMicroservice(NATS_URL!, prefix),
    logger: false,
  });
  await app.listen();
  return app;
}

const meta: RequestMeta = {
  correlationId: randomUUID(),
  actor: { type: 'user', id: 'user-42' },
  tenantId: 'tenant-7',
  roles: ['admin'],
};

describe('RPC over NATS (real nats-server)', () => {
  let services: INestMicroservice[];
  let proxy: ClientProxy;
  let rpc: RpcClient;

  beforeAll(async () => {
    services = [await startService('a'), await startService('b')];
    proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [NATS_URL!] } });
    await proxy.connect();
    rpc = new RpcClient(proxy, 1_000);
  });

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(services.map((service) => service.close()));
  });

  it('carries the caller in headers, not in the payload', async () => {
    const reply = await rpc.request<{ payload: unknown; meta: RequestMeta }>(`${prefix}.echo`, { x: 1 }, meta);
    expect(reply.payload).toEqual({ x: 1 });
    expect(reply.meta).toEqual(meta);
  });

  it('carries the command id when the request has one, and only then', async () => {
    const withId = { ...meta, commandId: 'cmd-1' };
    const reply = await rpc.request<{ meta: RequestMeta }>(`${prefix}.echo`, {}, withId);
    expect(reply.meta).toEqual(withId);
    const without = await rpc.request<{ meta: RequestMeta }>(`${prefix}.echo`, {}, meta);
    expect(without.meta).not.toHaveProperty('commandId');
  });

  it('spreads requests over the instances of the queue group', async () => {
    const replies = await Promise.all(
      Array.from({ length: 40 }, () => rpc.request<{ instance: string }>(`${prefix}.echo`, {}, meta)),
    );
    expect(new Set(replies.map((reply) => reply.instance))).toEqual(new Set(['a', 'b']));
  });

  it.each(['validation', 'not_found', 'conflict', 'forbidden', 'quota_exceeded'] as const)(
    'a %s error crosses the wire typed',
    async (code) => {
      const error = await rpc.request(`${prefix}.fail`, { code }, meta).catch((e: CaasError) => e);
      expect(error).toBeInstanceOf(CaasError);
      expect(error).toMatchObject({
        code,
        message: `failed with ${code}`,
        extra: { details: { limit: 'maxContainers' } },
      });
    },
  );

  it('an unexpected error is answered as internal, without its message', async () => {
    const error = await rpc.request(`${prefix}.crash`, {}, meta).catch((e: CaasError) => e);
    expect(error).toMatchObject({ code: 'internal', message: 'Internal error' });
  });

  it('validation names each field and rule, and refuses unknown fields', async () => {
    const error = await rpc
      .request(`${prefix}.rename`, { name: 'far too long a name', size: 9, extra: 1 }, meta)
      .catch((e: CaasError) => e);
    expect((error as CaasError).code).toBe('validation');
    expect((error as CaasError).extra.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name', rule: 'maxLength' }),
        expect.objectContaining({ field: 'size', rule: 'max' }),
        expect.objectContaining({ field: 'extra', rule: 'whitelistValidation' }),
      ]),
    );
  });

  it('times out when nobody answers in time', async () => {
    const error = await rpc.request(`${prefix}.slow`, {}, meta, 100).catch((e: CaasError) => e);
    expect(error).toMatchObject({ code: 'timeout' });
  });

  it('answers unavailable when no service listens on the subject', async () => {
    const error = await rpc.request(`${prefix}.nobody`, {}, meta).catch((e: CaasError) => e);
    expect(error).toMatchObject({ code: 'unavailable' });
  });
});
