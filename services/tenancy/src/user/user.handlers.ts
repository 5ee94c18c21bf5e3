import { type AuthenticatedUser, SignUpV1, TENANCY, VerifyPasswordV1 } from '@caas/contracts';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter, validated } from '@caas/messaging/src/rpc/rpc-server';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import { newId } from '../shared/new-id';
import { ReadYourWrites } from '@caas/read-model';
import { EVENT_STORE } from '../shared/tokens';
import { normalizeEmail } from './email-claim';
import { authenticateByPassword } from './password-authentication';
import { PasswordHasher } from './password-hashing';
import { userStream } from './user.events';
import { registerUser } from './user-registration';

/** Sign-up and password check: called by the gateway before anyone holds a token. */
@Controller()
@UseFilters(RpcErrorFilter)
export class UserHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly hasher: PasswordHasher,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @MessagePattern(TENANCY.signUp)
  async signUp(@Payload() payload: unknown, @Meta() meta: RequestMeta): Promise<{ userId: string }> {
    const { email, name, password } = await validated(SignUpV1, payload);
    const userId = newId(meta, 'user');
    const passwordHash = await this.hasher.hash(password);
    const registration = { userId, email: normalizeEmail(email), name, passwordHash };
    const revision = await registerUser(this.store, registration, contextOf(meta, null));
    await this.readYourWrites.streamApplied(userStream(userId), revision);
    return { userId };
  }

  @MessagePattern(TENANCY.verifyPassword)
  async verifyPassword(@Payload() payload: unknown): Promise<AuthenticatedUser> {
    const { email, password } = await validated(VerifyPasswordV1, payload);
    return authenticateByPassword(this.store, this.hasher, email, password);
  }
}
