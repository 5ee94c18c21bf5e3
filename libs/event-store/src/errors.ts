import type { ActualRevision, ExpectedRevision } from './types';

export class EventStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class WrongExpectedVersionError extends EventStoreError {
  constructor(
    readonly streamName: string,
    readonly expectedRevision: ExpectedRevision,
    readonly actualRevision: ActualRevision,
  ) {
    super(
      `Wrong expected revision on stream '${streamName}': expected ${String(expectedRevision)}, actual ${String(actualRevision)}`,
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  constructor(readonly streamName: string) {
    super(`Stream '${streamName}' not found`);
  }
}

/** The stream was tombstoned: it can never be read or written again. */
export class StreamDeletedError extends EventStoreError {
  constructor(readonly streamName: string) {
    super(`Stream '${streamName}' is permanently deleted`);
  }
}

export class InvalidArgumentError extends EventStoreError {}
