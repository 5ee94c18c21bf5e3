import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { toRequestMeta, type UserPrincipal } from './principal';

/**
 * `@Caller() meta: RequestMeta`: who is calling, built from the credential and the
 * correlation id, with the command id of the request's Idempotency-Key claim (the
 * IdempotencyInterceptor has claimed it by the time handler arguments are resolved).
 */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return toRequestMeta(request.principal, request.correlationId, request.idempotency?.commandId);
});

/** `@CallingUser() user: UserPrincipal` on routes the AccessGuard restricts to user tokens. */
export const CallingUser = createParamDecorator((_: unknown, context: ExecutionContext): UserPrincipal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (principal?.type !== 'user') throw new Error('CallingUser used on a route not restricted to user tokens');
  return principal;
});
