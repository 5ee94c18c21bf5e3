import { randomUUID } from 'node:crypto';
import { type CommandContext, eventMetadata } from '@caas/domain';
import { type EventStore, StreamNotFoundError, streamName } from '@caas/event-store';
import type { RegistryCredentials } from '../registry-client/registry-auth';

/**
 * Private stream of a replication's target credentials: `replicationcredentials-<id>`.
 * Never relayed (not in RELAYED_CATEGORIES) and never in a view (no read model follows
 * it): only the replication worker reads it, right before it copies.
 */
export const replicationCredentialsStream = (replicationId: string) =>
  streamName('replicationcredentials', replicationId);

type CredentialsEvent =
  | { readonly type: 'ReplicationCredentialsRecorded'; readonly data: RecordedData }
  /** On removal: a replication created again later starts with only what it is given then. */
  | { readonly type: 'ReplicationCredentialsErased'; readonly data: { readonly replicationId: string } };

interface RecordedData {
  readonly replicationId: string;
  /** Null: the target takes anonymous pushes. */
  readonly credentials: RegistryCredentials | null;
}

export class ReplicationCredentials {
  constructor(private readonly store: EventStore) {}

  save(replicationId: string, credentials: RegistryCredentials | undefined, context: CommandContext): Promise<void> {
    return this.append(context, {
      type: 'ReplicationCredentialsRecorded',
      data: { replicationId, credentials: credentials ?? null },
    });
  }

  erase(replicationId: string, context: CommandContext): Promise<void> {
    return this.append(context, { type: 'ReplicationCredentialsErased', data: { replicationId } });
  }

  /** The last ones recorded, or undefined (none, or erased). */
  async read(replicationId: string): Promise<RegistryCredentials | undefined> {
    let credentials: RegistryCredentials | undefined;
    try {
      for await (const event of this.store.readStream(replicationCredentialsStream(replicationId))) {
        const recorded = event as unknown as CredentialsEvent;
        credentials =
          recorded.type === 'ReplicationCredentialsRecorded' ? (recorded.data.credentials ?? undefined) : undefined;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return credentials;
  }

  private async append(context: CommandContext, event: CredentialsEvent): Promise<void> {
    const replicationId = event.data.replicationId;
    await this.store.appendToStream(replicationCredentialsStream(replicationId), [
      { id: randomUUID(), type: event.type, data: event.data, metadata: eventMetadata(context) },
    ]);
  }
}
