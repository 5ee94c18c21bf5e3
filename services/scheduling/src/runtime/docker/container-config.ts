import type Docker from 'dockerode';
import { LABELS, type HealthCheck, type RuntimeContainerSpec } from '../runtime-spec';
import { RuntimeError } from './errors';
import { hardenHostConfig } from './hardening';

const NS_PER_SECOND = 1_000_000_000;
const BYTES_PER_MB = 1024 * 1024;
/** Docker's own rule for volume names; anything else (a path above all) would not be a named volume. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * The engine's create call for a spec. Pure: everything the container gets is here,
 * so the unit test of this function is the full list of what the driver sets.
 */
export function containerCreateOptions(spec: RuntimeContainerSpec): Docker.ContainerCreateOptions {
  const exposedPorts: Record<string, object> = {};
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports) {
    const key = `${port.containerPort}/${port.protocol}`;
    exposedPorts[key] = {};
    (portBindings[key] ??= []).push({ HostIp: port.hostIp, HostPort: String(port.hostPort) });
  }
  const memory = Math.round(spec.resources.memoryMb * BYTES_PER_MB);
  const hostConfig: Docker.HostConfig = {
    // NanoCpus is CPUs in units of 10^-9 (0.5 CPU = 500_000_000).
    NanoCpus: Math.round(spec.resources.cpus * 1e9),
    Memory: memory,
    // Equal to Memory: no swap on top, so the memory limit is the real limit.
    MemorySwap: memory,
    PidsLimit: spec.resources.pidsLimit,
    PortBindings: portBindings,
    RestartPolicy: { Name: spec.restartPolicy, MaximumRetryCount: 0 },
    NetworkMode: spec.network,
    Mounts: spec.volumes.map((volume) => {
      if (!VOLUME_NAME.test(volume.volumeName)) {
        throw new RuntimeError(`Volume name '${volume.volumeName}' is not a Docker volume name`);
      }
      if (!volume.mountPath.startsWith('/')) throw new RuntimeError(`Mount path '${volume.mountPath}' is not absolute`);
      return {
        Type: 'volume' as const,
        Source: volume.volumeName,
        Target: volume.mountPath,
        ReadOnly: volume.readOnly,
      };
    }),
    // Pinned rather than left to the engine's default: `logs()` needs a driver the
    // engine can read back, and the size cap keeps a chatty tenant off the host's disk.
    LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
  };
  return {
    name: spec.name,
    Image: spec.image,
    ...(spec.command ? { Cmd: [...spec.command] } : {}),
    ...(spec.entrypoint ? { Entrypoint: [...spec.entrypoint] } : {}),
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    ExposedPorts: exposedPorts,
    Labels: { ...spec.labels, [LABELS.managed]: 'true' },
    // No TTY: stdout and stderr stay separate streams, which `logs()` demultiplexes.
    Tty: false,
    ...(spec.healthCheck ? { Healthcheck: healthcheck(spec.healthCheck) } : {}),
    HostConfig: hardenHostConfig(hostConfig),
  };
}

function healthcheck(check: HealthCheck): Docker.HealthConfig {
  return {
    Test: [...check.test],
    Interval: seconds(check.intervalSeconds),
    Timeout: seconds(check.timeoutSeconds),
    Retries: check.retries,
    StartPeriod: seconds(check.startPeriodSeconds),
  };
}

/** Docker wants whole nanoseconds; a fractional second (0.5) is allowed in the spec. */
function seconds(value: number): number {
  return Math.round(value * NS_PER_SECOND);
}
