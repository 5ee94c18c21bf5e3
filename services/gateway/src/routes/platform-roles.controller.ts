import {
  GrantPlatformRoleV1,
  PLATFORM_ROLES,
  type PlatformRole,
  TENANCY,
  type UserPlatformRolesView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PlatformRoles } from '../auth/access.decorators';
import { Caller, CallingUser } from '../auth/caller.decorator';
import { toPlatformRequestMeta, type UserPrincipal } from '../auth/principal';

class UserPlatformRolesDto implements UserPlatformRolesView {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ example: 'grace@example.com' }) email!: string;
  @ApiProperty({ enum: PLATFORM_ROLES, isArray: true, example: ['finance'] }) platformRoles!: PlatformRole[];
}

/**
 * Platform roles are the platform's, not a tenant's: platform admins only, acting in no
 * tenant and with only their platform roles (tenancy checks them again).
 */
@ApiTags('admin')
@Controller('admin/platform-roles')
@PlatformRoles('platform-admin')
export class PlatformRolesController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Grant a platform role to a user named by e-mail (platform-admin; granting a held role changes nothing). ' +
      'Tokens carry the roles held at login: the user must log in again to use the new role.',
  })
  @ApiOkResponse({ type: UserPlatformRolesDto })
  grant(
    @Body() body: GrantPlatformRoleV1,
    @CallingUser() user: UserPrincipal,
    @Caller() meta: RequestMeta,
  ): Promise<UserPlatformRolesView> {
    const platformMeta = toPlatformRequestMeta(user, meta.correlationId, null, meta.commandId);
    return this.tenancy.request(TENANCY.grantPlatformRole, body, platformMeta);
  }
}
