import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TestPki {
  readonly ca: string;
  readonly server: { readonly cert: string; readonly key: string };
  readonly client: { readonly cert: string; readonly key: string };
  /** A client certificate from another CA: the engine must refuse it. */
  readonly stranger: { readonly cert: string; readonly key: string };
}

/** A throwaway CA with a server certificate for 127.0.0.1 and client certificates, made with openssl. */
export async function makeTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'caas-pki-'));
  const openssl = (...args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    const ca = async (name: string) =>
      openssl(
        'req',
        '-x509',
        ...key,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
        '-days',
        '1',
        '-subj',
        `/CN=${name}`,
      );
    const signed = async (name: string, by: string, extensions: string) => {
      writeFileSync(join(dir, `${name}.ext`), extensions);
      await openssl('req', ...key, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      // An explicit serial: -CAcreateserial would share one serial file between parallel signings.
      const serial = `0x${randomBytes(8).toString('hex')}`;
      await openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${by}.pem`,
        '-CAkey',
        `${by}.key`,
        '-set_serial',
        serial,
        '-out',
        `${name}.pem`,
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
      );
    };
    await Promise.all([ca('ca'), ca('other-ca')]);
    await Promise.all([
      signed('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n'),
      signed('client', 'ca', 'extendedKeyUsage=clientAuth\n'),
      signed('stranger', 'other-ca', 'extendedKeyUsage=clientAuth\n'),
    ]);
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const pair = (name: string) => ({ cert: read(`${name}.pem`), key: read(`${name}.key`) });
    return { ca: read('ca.pem'), server: pair('server'), client: pair('client'), stranger: pair('stranger') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
