import { dockerOptionsFor } from './endpoint';

const tls = { ca: 'CA', cert: 'CERT', key: 'KEY' };

describe('dockerOptionsFor', () => {
  it('maps a unix socket', () => {
    expect(dockerOptionsFor('unix:///run/docker.sock')).toEqual({ socketPath: '/run/docker.sock' });
  });

  it('maps tcp with TLS client certificates to https', () => {
    expect(dockerOptionsFor('tcp://10.0.0.5:2376', tls)).toEqual({
      protocol: 'https',
      host: '10.0.0.5',
      port: 2376,
      ...tls,
    });
    expect(dockerOptionsFor('tcp://[fd00::1]:2376', tls)).toMatchObject({ host: 'fd00::1', port: 2376 });
  });

  it('refuses plain tcp, relative sockets and other schemes', () => {
    expect(() => dockerOptionsFor('tcp://10.0.0.5:2375')).toThrow(/needs TLS/);
    expect(() => dockerOptionsFor('tcp://10.0.0.5', tls)).toThrow(/host:port/);
    expect(() => dockerOptionsFor('unix://docker.sock')).toThrow(/absolute/);
    expect(() => dockerOptionsFor('http://10.0.0.5:2375')).toThrow(/expected/);
  });
});
