import {
  AcceptInvitationV1,
  InviteMemberV1,
  MemberRefV1,
  TENANCY,
  type InvitationView,
  type MemberView,
} from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { RpcClient } from '@caas/messaging/src/rpc/rpc-client';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped, UserOnly } from '../auth/access.decorators';
import { Caller } from '../auth/caller.decorator';
import { ChangeMemberRoleBody, COMMAND_RESULT_SCHEMA, InvitationViewDto, MemberViewDto } from './dto';

@ApiTags('members')
@Controller('members')
@TenantScoped()
export class MembersController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Members of the current tenant' })
  @ApiOkResponse({ type: [MemberViewDto] })
  list(@Caller() meta: RequestMeta): Promise<MemberView[]> {
    return this.tenancy.request(TENANCY.listMembers, {}, meta);
  }

  @Patch(':userId')
  @ApiOperation({ summary: "Change a member's role" })
  @ApiOkResponse({ schema: COMMAND_RESULT_SCHEMA })
  changeRole(
    @Param() params: MemberRefV1,
    @Body() body: ChangeMemberRoleBody,
    @Caller() meta: RequestMeta,
  ): Promise<unknown> {
    return this.tenancy.request(TENANCY.changeMemberRole, { userId: params.userId, role: body.role }, meta);
  }

  @Delete(':userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member from the current tenant' })
  @ApiNoContentResponse()
  async remove(@Param() params: MemberRefV1, @Caller() meta: RequestMeta): Promise<void> {
    await this.tenancy.request(TENANCY.removeMember, { userId: params.userId }, meta);
  }
}

@ApiTags('invitations')
@Controller('invitations')
export class InvitationsController {
  constructor(@Inject(RpcClient) private readonly tenancy: RpcClient) {}

  @Get()
  @TenantScoped()
  @ApiOperation({ summary: 'Invitations of the current tenant' })
  @ApiOkResponse({ type: [InvitationViewDto] })
  list(@Caller() meta: RequestMeta): Promise<InvitationView[]> {
    return this.tenancy.request(TENANCY.listInvitations, {}, meta);
  }

  @Post()
  @TenantScoped()
  @ApiOperation({ summary: 'Invite someone by e-mail into the current tenant' })
  @ApiCreatedResponse({ schema: COMMAND_RESULT_SCHEMA })
  invite(@Body() body: InviteMemberV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.tenancy.request(TENANCY.inviteMember, body, meta);
  }

  /** User-level: the invitee is not a member yet, so has no tenant token for it. */
  @Post(':invitationId/accept')
  @HttpCode(200)
  @UserOnly()
  @ApiOperation({ summary: 'Accept an invitation addressed to the caller' })
  @ApiOkResponse({ schema: COMMAND_RESULT_SCHEMA })
  accept(@Param() params: AcceptInvitationV1, @Caller() meta: RequestMeta): Promise<unknown> {
    return this.tenancy.request(TENANCY.acceptInvitation, { invitationId: params.invitationId }, meta);
  }
}
