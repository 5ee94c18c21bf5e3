import { SignUpV1, ScopeToTenantV1, TENANCY, VerifyPasswordV1, type AuthenticatedUser } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, UserOnly } from '../auth/access.decorators';
import { Authenticator } from '../auth/authenticator';
import { Caller, CallingUser } from '../auth/caller.decorator';
import type { UserPrincipal } from '../auth/principal';
import { TokenService } from '../auth/token.service';
import { WithoutIdempotency } from '../idempotency/idempotency.interceptor';
import { SignedUpDto, TenantTokenDto, TokenDto } from './dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(RpcClient) private readonly tenancy: RpcClient,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Create a user account' })
  @ApiCreatedResponse({ type: SignedUpDto })
  signUp(@Body() body: SignUpV1, @Caller() meta: RequestMeta): Promise<SignedUpDto> {
    return this.tenancy.request(TENANCY.signUp, body, meta);
  }

  @Post('login')
  @HttpCode(200)
  @Public()
  @WithoutIdempotency()
  @ApiOperation({ summary: 'Exchange e-mail and password for a user token (1 h, no tenant scope)' })
  // VerifyPasswordV1 carries no @ApiProperty: its fields are documented here.
  @ApiBody({
    schema: {
      type: 'object',
      required: ['email', 'password'],
      properties: { email: { type: 'string', format: 'email' }, password: { type: 'string', maxLength: 128 } },
    },
  })
  @ApiOkResponse({ type: TokenDto })
  async login(@Body() body: VerifyPasswordV1, @Caller() meta: RequestMeta): Promise<TokenDto> {
    const user = await this.tenancy.request<AuthenticatedUser>(TENANCY.verifyPassword, body, meta);
    return this.tokens.issueUserToken(user);
  }

  @Post('token')
  @HttpCode(200)
  @UserOnly()
  @WithoutIdempotency()
  @ApiOperation({
    summary: 'Exchange a user token for one scoped to a tenant the user is a member of',
    description: 'The new token expires with the presented one, at the latest in 1 h.',
  })
  @ApiOkResponse({ type: TenantTokenDto })
  async tenantToken(
    @Body() body: ScopeToTenantV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<TenantTokenDto> {
    const membership = await this.authenticator.membership(user, body.tenantId, meta.correlationId);
    return { ...this.tokens.issueTenantToken(user, membership), tenantId: membership.tenantId, role: membership.role };
  }
}
