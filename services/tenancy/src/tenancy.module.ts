import type { EventStore } from '@caas/event-store';
import { type DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiKeyHandlers } from './apikey/apikey.handlers';
import { ApiKeyQueries } from './apikey/apikey.queries';
import { PlanHandlers } from './plan/plan.handlers';
import { PlanQueries } from './plan/plan.queries';
import { CommandExecutor } from './shared/command-executor';
import { type AppliedPositions, ReadYourWrites } from '@caas/read-model';
import { EVENT_STORE } from './shared/tokens';
import { EnvironmentHandlers } from './tenant/environment.handlers';
import { EnvironmentQueries } from './tenant/environment.queries';
import { MemberHandlers } from './tenant/member.handlers';
import { MemberQueries } from './tenant/member.queries';
import { TenantCommands } from './tenant/tenant-commands';
import { TenantReader } from './tenant/tenant-reader';
import { TenantHandlers } from './tenant/tenant.handlers';
import { TenantQueries } from './tenant/tenant.queries';
import { PasswordHasher } from './user/password-hashing';
import { PlatformRoleHandlers } from './user/platform-role.handlers';
import { UserHandlers } from './user/user.handlers';
import { StateAsOfHandlers } from './audit/state-as-of.handlers';

/** What the module is built from: made by main.ts (or a test) and handed in, never looked up from the environment. */
export interface TenancyDependencies {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  readonly readModel: AppliedPositions;
  readonly passwords: PasswordHasher;
}

@Module({})
export class TenancyModule {
  static register({ store, dataSource, readModel, passwords }: TenancyDependencies): DynamicModule {
    return {
      module: TenancyModule,
      controllers: [
        UserHandlers,
        PlatformRoleHandlers,
        TenantHandlers,
        MemberHandlers,
        EnvironmentHandlers,
        ApiKeyHandlers,
        PlanHandlers,
        StateAsOfHandlers,
      ],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: DataSource, useValue: dataSource },
        { provide: PasswordHasher, useValue: passwords },
        { provide: ReadYourWrites, useValue: new ReadYourWrites(store, readModel) },
        CommandExecutor,
        TenantCommands,
        TenantReader,
        TenantQueries,
        MemberQueries,
        EnvironmentQueries,
        ApiKeyQueries,
        PlanQueries,
      ],
    };
  }
}
