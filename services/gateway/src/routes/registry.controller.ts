import { IMAGES, MAX_TOKEN_SCOPES, type RegistryToken, type RegistryTokenV1 } from '@caas/contracts';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Controller, Get, Headers, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/access.decorators';
import { unauthenticated } from '../auth/credentials';
import { toRequestMeta } from '../auth/principal';
import { RegistryLogin } from '../auth/registry-login';
import { RegistryNotifyAuth } from '../auth/registry-notify-auth';
import { WithoutIdempotency } from '../idempotency/idempotency.interceptor';

export const REGISTRY_EVENTS_MEDIA_TYPE = 'application/vnd.docker.distribution.events.v1+json';

/**
 * The platform registry's two HTTP calls into the platform, forwarded to the images
 * service: its token realm (`auth.token.realm`), which `docker login/push/pull` reach
 * through the engine, and its notification endpoint. Not part of the public API
 * documentation: registry clients speak the distribution token spec, not our API.
 */
@ApiExcludeController()
@Controller('registry')
@Public()
export class RegistryController {
  constructor(
    @Inject(RpcClient) private readonly images: RpcClient,
    @Inject(RegistryLogin) private readonly login: RegistryLogin,
    @Inject(RegistryNotifyAuth) private readonly notifyAuth: RegistryNotifyAuth,
  ) {}

  /** `GET <realm>?service=…&scope=…&scope=…` with Basic credentials or none (anonymous). */
  @Get('token')
  @WithoutIdempotency()
  async token(
    @Req() request: FastifyRequest,
    @Query('service') service: unknown,
    @Query('scope') scope: unknown,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<RegistryToken> {
    const principal = await this.login.authenticate(authorization, request.correlationId);
    const scopes = (Array.isArray(scope) ? scope : scope === undefined ? [] : [scope]).flatMap((value) =>
      // A client may also join several scopes with spaces in one parameter (OAuth2 style).
      String(value).split(' ').filter(Boolean),
    );
    const body = { service: typeof service === 'string' ? service : '', scopes: scopes.slice(0, MAX_TOKEN_SCOPES) };
    return this.images.request(
      IMAGES.issueRegistryToken,
      body satisfies RegistryTokenV1,
      toRequestMeta(principal, request.correlationId),
    );
  }

  /** The registry's notification envelope; refused without the shared secret. */
  @Post('events')
  @HttpCode(200)
  @WithoutIdempotency()
  async events(
    @Req() request: FastifyRequest,
    @Headers('authorization') authorization: string | undefined,
  ): Promise<{ recorded: number }> {
    if (!this.notifyAuth.accepts(authorization)) throw unauthenticated('Not the platform registry');
    return this.images.request(
      IMAGES.recordRegistryNotification,
      request.body,
      toRequestMeta(null, request.correlationId),
    );
  }
}
