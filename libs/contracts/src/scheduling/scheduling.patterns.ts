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
  /**
   * Answers the last `tail` lines (ContainerLogsView). `follow` needs a stream, which
   * request/reply cannot carry: how it is streamed is not part of this contract yet.
   */
  containerLogs: 'scheduling.container.logs',

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
