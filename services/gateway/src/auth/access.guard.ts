import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Access, checkAccess } from './access';
import { ACCESS_METADATA } from './access.decorators';

/** Routes without an access decorator are the strictest ordinary kind: tenant-scoped. */
const DEFAULT_ACCESS: Access = { kind: 'tenant' };

/** Global: answers a refused credential (401), then checks the route's access rule. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.authFailure) throw request.authFailure;
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
        context.getHandler(),
        context.getClass(),
      ]) ?? DEFAULT_ACCESS;
    checkAccess(access, request.principal);
    return true;
  }
}
