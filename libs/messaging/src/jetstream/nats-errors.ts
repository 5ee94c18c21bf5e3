import type { NatsError } from 'nats';

/** JetStream API error codes we branch on (see nats-server's errors.json). */
export const JS_ERR = {
  CONSUMER_NOT_FOUND: 10014,
  STREAM_NAME_IN_USE: 10058,
  STREAM_NOT_FOUND: 10059,
} as const;

/** The JetStream API error code carried by an error thrown by the nats client, if any. */
export function jetStreamErrorCode(error: unknown): number | undefined {
  return (error as Partial<NatsError> | undefined)?.api_error?.err_code;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
