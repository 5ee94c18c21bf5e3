/**
 * The base URL the images service reaches another registry at: https, unless the host is
 * on this machine (a loopback registry is a developer's or a test's, and serves plain
 * http, as Docker itself assumes for 127.0.0.0/8) or listed in IMAGES_INSECURE_REGISTRIES
 * (`host[:port]`, as the engine's `insecure-registries`). Credentials then cross the
 * network in clear: that list is the operator's decision, never a caller's.
 */
export function registryUrlOf(host: string, insecureRegistries: readonly string[] = []): string {
  const hostname = host.replace(/:\d+$/, '');
  const loopback = hostname === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
  return `${loopback || insecureRegistries.includes(host) ? 'http' : 'https'}://${host}`;
}
