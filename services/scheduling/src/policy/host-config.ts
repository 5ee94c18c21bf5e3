/**
 * The hardening the Docker driver adds to every container's HostConfig, after
 * everything it built from the RuntimeContainerSpec, so these values always win.
 * Docker Engine API field names.
 *
 * Deliberately absent:
 * - `Binds`: named volumes go through `Mounts` with `Type: 'volume'`; no host path ever.
 * - `CapAdd`: nothing beyond Docker's defaults is ever granted (so the list is empty).
 * - `SecurityOpt` seccomp/apparmor entries: leaving them out keeps Docker's default
 *   seccomp and AppArmor profiles, which are what we want.
 * - `MaskedPaths`/`ReadonlyPaths`: setting them would replace Docker's defaults.
 * - `Init`: tini as PID 1 would reap zombies, but images built around their own init
 *   (s6-overlay refuses to run unless it is PID 1) would break, and `docker run`
 *   does not set it either: containers here behave as they do on a laptop.
 */

/** Docker's default capability set (moby `oci/caps/defaults.go`), for reference and tests. */
export const DOCKER_DEFAULT_CAPABILITIES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
] as const;

/**
 * Dropped from Docker's defaults (the same three CRI-O dropped from its defaults):
 * - NET_RAW: raw sockets let a container forge packets on the bridge it shares with
 *   the host's other containers (ARP/IP spoofing) and were the way into several
 *   kernel bugs (CVE-2020-14386). `ping` still works: Docker ≥ 20.10 lets containers
 *   open ICMP datagram sockets (net.ipv4.ping_group_range) without it.
 * - MKNOD: creating device nodes; no service needs it at run time (image builds do,
 *   and they do not run here).
 * - AUDIT_WRITE: writing to the host's kernel audit log, which is the platform's.
 * Kept: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, SETUID, SETGID, SETPCAP, SETFCAP, KILL,
 * NET_BIND_SERVICE, SYS_CHROOT — what official images (nginx, postgres, httpd, sshd,
 * anything that starts as root and drops to a user, or binds port 80) need. All of
 * them act only inside the container's own namespaces.
 */
export const DROPPED_CAPABILITIES = ['NET_RAW', 'MKNOD', 'AUDIT_WRITE'] as const;

export interface PolicyHostConfig {
  readonly Privileged: false;
  /** A process can never gain privileges it did not start with (setuid binaries, file capabilities). */
  readonly SecurityOpt: string[];
  readonly CapDrop: string[];
  /** False: most images write to their root filesystem (caches, pid files); writes stay in the container's layer. */
  readonly ReadonlyRootfs: false;
  /** Its own IPC namespace that no other container may join (some daemons default to `shareable`). */
  readonly IpcMode: 'private';
  /** Its own cgroup namespace: the host's cgroup tree stays invisible (cgroup v1 hosts default to `host`). */
  readonly CgroupnsMode: 'private';
  /** Only the ports the platform allocated are published, never every EXPOSEd port. */
  readonly PublishAllPorts: false;
  readonly Devices: never[];
}

export const POLICY_HOST_CONFIG: PolicyHostConfig = deepFreeze({
  Privileged: false,
  SecurityOpt: ['no-new-privileges:true'],
  CapDrop: [...DROPPED_CAPABILITIES],
  ReadonlyRootfs: false,
  IpcMode: 'private',
  CgroupnsMode: 'private',
  PublishAllPorts: false,
  Devices: [],
});

/** Frozen all the way down: a driver that tried to push into a shared list would throw, not weaken every container. */
function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (typeof item === 'object' && item !== null) deepFreeze(item);
  return Object.freeze(value);
}
