import type Docker from 'dockerode';

/** TLS client credentials for a `tcp://` engine, as PEM strings (what `docker --tlsverify` uses). */
export interface DockerTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * dockerode options for an engine endpoint: `unix:///path/to/docker.sock`, or
 * `tcp://host:port` with TLS client certificates. A plain-TCP engine is refused: its
 * API is root on that machine for anyone who can reach the port.
 */
export function dockerOptionsFor(endpoint: string, tls?: DockerTls): Docker.DockerOptions {
  if (endpoint.startsWith('unix://')) {
    const socketPath = endpoint.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw new Error(`Docker endpoint ${endpoint}: the socket path must be absolute`);
    if (tls) throw new Error(`Docker endpoint ${endpoint}: TLS applies to tcp:// endpoints only`);
    return { socketPath };
  }
  if (endpoint.startsWith('tcp://')) {
    const url = new URL(endpoint);
    if (!url.hostname || !url.port) throw new Error(`Docker endpoint ${endpoint}: expected tcp://host:port`);
    if (!tls) throw new Error(`Docker endpoint ${endpoint}: a tcp:// engine needs TLS client certificates`);
    // URL keeps IPv6 literals bracketed; the socket layer wants them bare.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { protocol: 'https', host, port: Number(url.port), ca: tls.ca, cert: tls.cert, key: tls.key };
  }
  throw new Error(`Docker endpoint ${endpoint}: expected unix:///path.sock or tcp://host:port`);
}
