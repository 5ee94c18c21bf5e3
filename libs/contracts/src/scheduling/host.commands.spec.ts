import { RegisterHostV1 } from './host.commands';
import { ENVIRONMENT_ID, violationsOf } from './spec-helpers';

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n';
const TLS = { caPem: PEM_CERT, certPem: PEM_CERT, keyPem: PEM_KEY };

const register = (change: object) => violationsOf(RegisterHostV1, { environmentId: ENVIRONMENT_ID, ...change });
const fieldsOf = (violations: { field: string; rule: string }[]) => violations.map((v) => `${v.field}:${v.rule}`);

describe('RegisterHostV1', () => {
  it.each<[string, object]>([
    ['a unix socket', { endpoint: 'unix:///var/run/docker.sock' }],
    ['tcp with TLS', { endpoint: 'tcp://docker-1.internal:2376', tls: TLS }],
    ['tcp to an IPv6 address with TLS', { endpoint: 'tcp://[fd00::1]:2376', tls: TLS }],
    [
      'labels and a dedicated tenant',
      { endpoint: 'unix:///run/d1.sock', labels: { disk: 'ssd' }, dedicatedTenantId: ENVIRONMENT_ID },
    ],
  ])('accepts %s', async (_name, change) => {
    expect(await register(change)).toEqual([]);
  });

  it('refuses plain tcp, naming the endpoint', async () => {
    expect(await register({ endpoint: 'tcp://10.0.0.5:2375' })).toEqual([
      { field: 'endpoint', rule: 'tls', message: expect.stringMatching(/require tls.*plain tcp is refused/) },
    ]);
  });

  it.each<[string, object, string]>([
    ['http', { endpoint: 'http://10.0.0.5:2375' }, 'endpoint:endpoint'],
    ['tcp without port', { endpoint: 'tcp://10.0.0.5', tls: TLS }, 'endpoint:endpoint'],
    ['a port above 65535', { endpoint: 'tcp://h:70000', tls: TLS }, 'endpoint:endpoint'],
    ['a relative socket', { endpoint: 'unix://docker.sock' }, 'endpoint:endpoint'],
    ['a socket path with ..', { endpoint: 'unix:///run/../tmp/x.sock' }, 'endpoint:endpoint'],
    ['TLS on a unix socket', { endpoint: 'unix:///var/run/docker.sock', tls: TLS }, 'endpoint:tls'],
    ['a CA that is not PEM', { endpoint: 'tcp://h:2376', tls: { ...TLS, caPem: 'hello' } }, 'tls.caPem:matches'],
    [
      'an encrypted key',
      { endpoint: 'tcp://h:2376', tls: { ...TLS, keyPem: PEM_KEY.replace(/PRIVATE/g, 'ENCRYPTED PRIVATE') } },
      'tls.keyPem:matches',
    ],
    ['a missing key', { endpoint: 'tcp://h:2376', tls: { caPem: PEM_CERT, certPem: PEM_CERT } }, 'tls.keyPem:isString'],
    ['a bad label key', { endpoint: 'unix:///d.sock', labels: { 'bad key': 'x' } }, 'labels:labels'],
    [
      'a dedicated tenant that is not an id',
      { endpoint: 'unix:///d.sock', dedicatedTenantId: 'acme' },
      'dedicatedTenantId:isUuid',
    ],
    ['no environment', { endpoint: 'unix:///d.sock', environmentId: undefined }, 'environmentId:isUuid'],
  ])('refuses %s', async (_name, change, expected) => {
    expect(fieldsOf(await register(change))).toContain(expected);
  });
});
