import { type EventStore, type RecordedEvent, StreamNotFoundError } from '@caas/event-store';

/** The last event of a stream, or undefined when the stream does not exist. */
export async function lastEventOf(store: EventStore, stream: string): Promise<RecordedEvent | undefined> {
  try {
    for await (const event of store.readStream(stream, { fromRevision: 'end', direction: 'backwards', maxCount: 1 })) {
      return event;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return undefined;
}
