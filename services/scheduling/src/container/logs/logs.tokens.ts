/** Injection tokens of the container log handlers; the scheduling module provides both. */

/** A ContainerLogSource (DockerContainerLogSource in production). */
export const CONTAINER_LOG_SOURCE = Symbol('ContainerLogSource');

/**
 * A `nats` NatsConnection for publishing followed logs to callers' inboxes. Nest's NATS
 * transport answers requests but cannot publish to arbitrary subjects.
 */
export const LOGS_NATS_CONNECTION = Symbol('LogsNatsConnection');
