import { BlockList, isIP } from 'node:net';
import { invalid } from '@caas/contracts';

/**
 * Where a webhook may point. A webhook makes the platform send requests on a tenant's
 * behalf, so without these rules it would reach what only the platform can reach: its
 * own services on loopback, the private network, a cloud's metadata endpoint.
 */
export interface WebhookReach {
  /**
   * Host names and IP addresses allowed although private (and over plain http): an
   * operator's exception, e.g. `127.0.0.1` for tests (MONITORING_WEBHOOK_ALLOW_HOSTS).
   */
  readonly allowHosts: readonly string[];
}

/** Names that resolve to the platform itself or its cloud's instance metadata. */
const INTERNAL_NAMES = ['localhost', 'metadata', 'metadata.google.internal', 'instance-data', 'metadata.azure.com'];
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa'];

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** Loopback, private, link-local, shared, documentation, multicast or reserved: not a public address. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return PRIVATE.check(address, 'ipv4');
  if (version !== 6) return true;
  // ::ffff:10.0.0.1 is 10.0.0.1 to the kernel.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/** The host as the allow list and the address rules compare it: lower case, IPv6 without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

export function isAllowedHost(host: string, reach: WebhookReach): boolean {
  return reach.allowHosts.some((allowed) => allowed.toLowerCase() === host);
}

/**
 * The URL a webhook may have: `https://` to a public host name or address, no
 * credentials in it; hosts on the allow list may be private and plain http. Throws a
 * validation error naming `url` and the rule otherwise. Names are resolved again at send
 * time (a public name may point at a private address): see `guardedLookup`.
 */
export function checkWebhookUrl(raw: string, reach: WebhookReach): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url', 'url', 'url must be an absolute URL');
  }
  if (url.username || url.password) {
    throw invalid('url', 'no_credentials', 'url must not carry a user name or password');
  }
  const host = hostOf(url);
  if (isAllowedHost(host, reach)) {
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
    throw invalid('url', 'public_https', 'url must be http(s)');
  }
  if (url.protocol !== 'https:') throw invalid('url', 'public_https', 'url must use https');
  if (isIP(host)) {
    if (isPrivateAddress(host)) {
      throw invalid('url', 'public_https', `url must point at a public address, not ${host}`);
    }
    return url.toString();
  }
  if (
    !host.includes('.') ||
    INTERNAL_NAMES.includes(host) ||
    INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))
  ) {
    throw invalid('url', 'public_https', `url must point at a public host, not ${host}`);
  }
  return url.toString();
}
