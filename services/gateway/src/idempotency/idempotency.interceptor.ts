import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, type Observable, of, switchMap } from 'rxjs';
import { idempotencyScope } from '../auth/principal';
import { IDEMPOTENCY_HEADER, MUTATING_METHODS, REPLAYED_HEADER, parseIdempotencyKey } from './idempotency-key';
import { IdempotencyService } from './idempotency.service';

const SKIP_IDEMPOTENCY = 'caas:skip-idempotency';

/**
 * For routes that issue credentials (login, token exchange): they change nothing, so
 * repeating them is harmless, and storing their answers would keep bearer tokens at rest.
 * The header is ignored there.
 */
export const WithoutIdempotency = () =>
  applyDecorators(SetMetadata(SKIP_IDEMPOTENCY, true), ApiExtension(NOT_IDEMPOTENT_EXTENSION, true));

/** Marks such operations in the OpenAPI document (see swagger.ts). */
export const NOT_IDEMPOTENT_EXTENSION = 'x-caas-ignores-idempotency-key';

/**
 * Runs after the access guard (a refused credential never claims a key) and before
 * validation (an invalid body is answered, and that answer is replayed like any other).
 * The answer is stored by the onSend hook, which sees the bytes actually sent, whatever
 * produced them.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!MUTATING_METHODS.has(request.method)) return next.handle();
    if (this.reflector.getAllAndOverride<boolean>(SKIP_IDEMPOTENCY, [context.getHandler(), context.getClass()])) {
      return next.handle();
    }
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_HEADER]);
    if (key === null) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const scope = idempotencyScope(request.principal, request.ip);
    return from(this.idempotency.begin(scope, key, request.method, request.url, request.body)).pipe(
      switchMap((begun) => {
        if ('claim' in begun) {
          request.idempotency = begun.claim;
          return next.handle();
        }
        void reply.code(begun.replay.status).header(REPLAYED_HEADER, 'true');
        if (begun.replay.contentType) void reply.type(begun.replay.contentType);
        return of(begun.replay.body);
      }),
    );
  }
}
