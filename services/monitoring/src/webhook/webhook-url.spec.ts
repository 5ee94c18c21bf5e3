import { CaasError } from '@caas/contracts';
import { type WebhookReach, checkWebhookUrl, isPrivateAddress } from './webhook-url';

const none: WebhookReach = { allowHosts: [] };
const violation = (url: string, reach = none) => {
  try {
    checkWebhookUrl(url, reach);
  } catch (error) {
    expect(error).toBeInstanceOf(CaasError);
    return (error as CaasError).extra.violations?.[0];
  }
  return undefined;
};

describe('webhook URL rules', () => {
  it('takes https to a public host name or address', () => {
    expect(checkWebhookUrl('https://hooks.example.com/caas?x=1', none)).toBe('https://hooks.example.com/caas?x=1');
    expect(checkWebhookUrl('https://93.184.216.34:8443/in', none)).toBe('https://93.184.216.34:8443/in');
    expect(checkWebhookUrl('https://[2606:4700::1111]/in', none)).toBe('https://[2606:4700::1111]/in');
  });

  it.each([
    'http://hooks.example.com/caas',
    'ftp://hooks.example.com/',
    'https://127.0.0.1/',
    'https://10.1.2.3/',
    'https://172.20.0.1/',
    'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[fe80::1]/',
    'https://[fd00::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://localhost/',
    'https://api.localhost/',
    'https://metadata.google.internal/',
    'https://metadata/',
    'https://printer.local/',
    'https://intranet/',
  ])('refuses %s naming url and public_https', (url) => {
    expect(violation(url)).toMatchObject({ field: 'url', rule: 'public_https' });
  });

  it('refuses what is not a URL, and credentials in it', () => {
    expect(violation('hooks.example.com')).toMatchObject({ field: 'url', rule: 'url' });
    expect(violation('https://user:pw@hooks.example.com/')).toMatchObject({ field: 'url', rule: 'no_credentials' });
  });

  it('allows listed hosts, private or over http', () => {
    const reach = { allowHosts: ['127.0.0.1', 'receiver.internal'] };
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', reach)).toBe('http://127.0.0.1:8080/hook');
    expect(checkWebhookUrl('https://receiver.internal/hook', reach)).toBe('https://receiver.internal/hook');
    expect(violation('http://127.0.0.2:8080/hook', reach)).toMatchObject({ field: 'url', rule: 'public_https' });
  });

  it('knows private addresses from public ones', () => {
    expect(
      ['127.0.0.1', '10.0.0.1', '::1', '::ffff:192.168.0.1', 'fc00::1', 'not-an-ip'].map(isPrivateAddress),
    ).toEqual([true, true, true, true, true, true]);
    expect(['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'].map(isPrivateAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
