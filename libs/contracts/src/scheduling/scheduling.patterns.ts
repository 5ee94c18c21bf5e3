/**
 * NATS request/reply subjects of the scheduling service (queue group `scheduling`).
 * Commands change state and answer with ids; queries answer read-model views.
 * Tenant commands act in the caller's tenant; host commands are for platform admins.
 */
export const SCHEDULING = {
  createContainer: 'scheduling.container.create',
  startContainer: 'scheduling.container.start',
  stopContainer: 'scheduling.container.stop',
  restartContainer: 'scheduling.container.restart',
  removeContainer: 'scheduling.container.remove',
  getContainer: 'scheduling.container.get',
  listContainers: 'scheduling.container.list',
  /** Answers the last `tail` lines (ContainerLogsView). Following a log is `followContainerLogs`. */
  containerLogs: 'scheduling.container.logs',
  /**
   * Streams a container's log to an inbox the caller owns (payload FollowContainerLogsV1:
   * `{ containerId, tail, inbox }`, RequestMeta headers as for any query). See LOG_FOLLOW.
   */
  followContainerLogs: 'scheduling.container.logs.follow',
  /**
   * Saves a container's filesystem as `<registry>/<tenantId>/<repository>:<tag>` in the
   * platform registry (CommitContainerV1); answers the image and its digest.
   */
  commitContainer: 'scheduling.container.commit',

  createService: 'scheduling.service.create',
  scaleService: 'scheduling.service.scale',
  updateService: 'scheduling.service.update',
  removeService: 'scheduling.service.remove',
  getService: 'scheduling.service.get',
  listServices: 'scheduling.service.list',

  registerHost: 'scheduling.host.register',
  drainHost: 'scheduling.host.drain',
  removeHost: 'scheduling.host.remove',
  getHost: 'scheduling.host.get',
  listHosts: 'scheduling.host.list',
} as const;

/**
 * The log-follow protocol. Request/reply carries one answer, a followed log is endless,
 * so the lines travel on plain subjects the caller owns:
 *
 * 1. The caller creates an inbox (`createInbox()`, so `_INBOX.<nuid>`) and subscribes to
 *    it *before* asking, then requests `SCHEDULING.followContainerLogs` with
 *    `{ containerId, tail, inbox }`.
 * 2. The scheduling service checks the caller (another tenant's container is
 *    `not_found`, answered as an ordinary RPC error: nothing is streamed), opens the log,
 *    subscribes to `<inbox>.alive` and `<inbox>.cancel`, and only then answers `{ ok: true }`.
 *    Lines may reach the inbox before that answer reaches the caller: the caller buffers.
 * 3. It publishes LogFollowMessage JSON to `inbox`: `{ type: 'line', stream, at, line }`
 *    for each line, then one `{ type: 'end', reason }` when the log ends (the container
 *    stopped or was removed), on cancel, on a missed keepalive or an error.
 * 4. The caller publishes to `<inbox>.alive` every `keepaliveIntervalMs` while it still
 *    wants lines, and to `<inbox>.cancel` when it stops. Without a keepalive for
 *    `keepaliveTimeoutMs` the service stops (the caller died without cancelling).
 *    A keepalive sent as a request is answered (empty), so a caller that gets
 *    "no responders" knows the session is gone (the service restarted, or the `end`
 *    was lost) and can stop waiting.
 *
 * Core NATS, at most once: a line can be lost under overload, never repeated.
 */
export const LOG_FOLLOW = {
  keepaliveIntervalMs: 5_000,
  keepaliveTimeoutMs: 15_000,
  aliveSubject: (inbox: string) => `${inbox}.alive`,
  cancelSubject: (inbox: string) => `${inbox}.cancel`,
} as const;
