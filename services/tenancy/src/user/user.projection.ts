import type { RecordedEvent } from '@caas/event-store';
import { Column, Entity, type EntityManager, Index, PrimaryColumn } from 'typeorm';
import { recordedAs } from '@caas/domain';
import type { UserEvent } from './user.events';

/** Public account data, for member lists. No password, no claim: those streams are never projected. */
@Entity({ name: 'users' })
export class UserRow {
  @PrimaryColumn('text', { name: 'user_id' })
  userId!: string;

  /** Not unique here: uniqueness is decided by the e-mail claim stream; a read model never refuses an event. */
  @Index('users_email')
  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'platform_roles', array: true, default: () => "'{}'" })
  platformRoles!: string[];

  @Column('timestamptz', { name: 'signed_up_at' })
  signedUpAt!: Date;
}

export async function projectUserEvent(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  const event = recordedAs<UserEvent>(recorded);
  switch (event.type) {
    case 'UserSignedUp': {
      const { userId, email, name } = event.data;
      await manager.upsert(UserRow, { userId, email, name, signedUpAt: event.created }, ['userId']);
      return;
    }
    case 'PlatformRoleGranted': {
      const user = await manager.findOneBy(UserRow, { userId: event.data.userId });
      if (user && !user.platformRoles.includes(event.data.role)) {
        await manager.update(
          UserRow,
          { userId: user.userId },
          { platformRoles: [...user.platformRoles, event.data.role] },
        );
      }
      return;
    }
  }
}
