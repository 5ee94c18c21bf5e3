import { DEFAULT_PORT_RANGE } from './cluster/placement-table';
import { bootstrapHostsFrom, configFromEnv, portRangeFrom } from './scheduling.config';

describe('scheduling configuration from the environment', () => {
  const base = { DATABASE_URL: 'postgres://x', NATS_URL: 'nats://y' };

  it('reads bootstrap hosts (comma-separated, blanks ignored) and a port range', () => {
    const config = configFromEnv({
      ...base,
      SCHEDULING_BOOTSTRAP_HOSTS: ' unix:///a/host-1.sock, ,unix:///a/host-2.sock,',
      SCHEDULING_PORT_RANGE: '32400-32549',
    });
    expect(config.bootstrapHosts).toEqual(['unix:///a/host-1.sock', 'unix:///a/host-2.sock']);
    expect(config.portRange).toEqual({ first: 32400, last: 32549 });
  });

  it('defaults to no bootstrap hosts and the default port range', () => {
    expect(configFromEnv(base)).toMatchObject({ bootstrapHosts: [], portRange: DEFAULT_PORT_RANGE });
  });

  it('reads the volume sampling interval, 5 minutes by default', () => {
    expect(configFromEnv(base).volumeSampleMs).toBe(300_000);
    expect(configFromEnv({ ...base, SCHEDULING_VOLUME_SAMPLE_MS: '60000' }).volumeSampleMs).toBe(60_000);
    expect(() => configFromEnv({ ...base, SCHEDULING_VOLUME_SAMPLE_MS: '0' })).toThrow(/SCHEDULING_VOLUME_SAMPLE_MS/);
  });

  it('refuses anything but unix:// endpoints: TCP engines need TLS credentials', () => {
    expect(() => bootstrapHostsFrom('tcp://10.0.0.1:2376')).toThrow(/unix:\/\/\/path/);
    expect(() => bootstrapHostsFrom('/var/run/docker.sock')).toThrow(/unix:\/\/\/path/);
  });

  it.each(['32549-32400', '0-10', '1-70000', '30000', 'a-b'])('refuses the port range %s', (range) => {
    expect(() => portRangeFrom(range)).toThrow(/SCHEDULING_PORT_RANGE/);
  });
});
