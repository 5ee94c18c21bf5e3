/**
 * The Docker fields a tenant may know from `docker run` or the Engine API and that
 * would give a container the host: each is refused by name (rule `forbidden`), at the
 * gateway by the contract classes and again in the scheduling service by the
 * security policy, which runs the same checks on whatever reaches it.
 *
 * A check answers why a value is refused, or undefined when the value asks for
 * nothing (absent, null, false, empty): generic Docker tooling sends
 * `privileged: false` or `capAdd: []`, and refusing those would only be noise.
 */
export type RefusalCheck = (value: unknown) => string | undefined;

/** The rule name of every security refusal. */
export const FORBIDDEN_RULE = 'forbidden';

/** A path that reaches a container engine's API socket: root on the host. */
const ENGINE_SOCKET = /(^|\/)(docker|containerd|podman|crio)\.sock(\/|:|$)/;

export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Every string anywhere in a value: bind specs come as strings, objects or lists of either. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

function mentionsEngineSocket(value: unknown): boolean {
  return stringsIn(value).some((text) => ENGINE_SOCKET.test(text));
}

const SOCKET_MESSAGE =
  "mounting the Docker socket is not allowed: it is root on every tenant's containers and the host";

const refuseWhenSet =
  (message: string): RefusalCheck =>
  (value) =>
    isUnset(value) ? undefined : message;

/** Host bind mounts in any shape (`binds`, `mounts`, a volume's `hostPath`); the engine socket above all. */
const refuseHostPaths =
  (message: string): RefusalCheck =>
  (value) => {
    if (isUnset(value)) return undefined;
    return mentionsEngineSocket(value) ? SOCKET_MESSAGE : message;
  };

/**
 * Namespace modes: `host` shares the host's namespace, `container:<id>` another
 * container's (possibly another tenant's). Any other value is refused too: the
 * platform sets every namespace, so accepting and ignoring it would mislead.
 */
const refuseNamespaceMode =
  (field: string, namespace: string, platformChoice: string): RefusalCheck =>
  (value) => {
    if (value === undefined || value === null || value === '') return undefined;
    const mode = String(value);
    if (mode === 'host')
      return `${field} 'host' is not allowed: a container never shares the host's ${namespace} namespace`;
    if (mode.startsWith('container:')) {
      return `${field} '${mode}' is not allowed: a container never joins another container's ${namespace} namespace`;
    }
    return `${field} cannot be set: ${platformChoice}`;
  };

/** `no-new-privileges` is what the platform sets anyway; anything else loosens or replaces its profiles. */
const HARMLESS_SECURITY_OPT = /^no-new-privileges([:=]true)?$/;

const refuseSecurityOpt: RefusalCheck = (value) => {
  if (isUnset(value)) return undefined;
  if (!Array.isArray(value)) return 'securityOpt cannot be set: the platform sets the security options';
  const refused = value.map(String).filter((opt) => !HARMLESS_SECURITY_OPT.test(opt));
  if (refused.length === 0) return undefined;
  const unconfined = refused.filter((opt) => /unconfined|label[:=]disable/.test(opt));
  if (unconfined.length > 0) {
    return `securityOpt ${unconfined.join(', ')} is not allowed: seccomp and AppArmor profiles always apply`;
  }
  return `securityOpt ${refused.join(', ')} is not allowed: the platform sets the security options`;
};

const refuseCapAdd: RefusalCheck = (value) => {
  if (isUnset(value)) return undefined;
  const caps = Array.isArray(value) ? ` (${value.map(String).join(', ')})` : '';
  return `adding Linux capabilities${caps} is not allowed`;
};

/** Top-level fields of a container template that exist only to be refused. */
export const REFUSED_CONTAINER_FIELDS = {
  privileged: refuseWhenSet('privileged containers are not allowed'),
  capAdd: refuseCapAdd,
  binds: refuseHostPaths('host bind mounts are not allowed: use volumes (named volumes of the tenant)'),
  mounts: refuseHostPaths('Docker mounts cannot be set: use volumes (named volumes of the tenant)'),
  volumesFrom: refuseWhenSet("mounting another container's volumes is not allowed"),
  devices: refuseWhenSet('host devices are not allowed'),
  sysctls: refuseWhenSet('setting kernel parameters (sysctls) is not allowed'),
  securityOpt: refuseSecurityOpt,
  networkMode: refuseNamespaceMode('networkMode', 'network', "the container joins its tenant's network"),
  pidMode: refuseNamespaceMode('pidMode', 'PID', 'every container has its own PID namespace'),
  ipcMode: refuseNamespaceMode('ipcMode', 'IPC', 'every container has its own IPC namespace'),
  utsMode: refuseNamespaceMode('utsMode', 'UTS', 'every container has its own UTS namespace'),
  cgroupnsMode: refuseNamespaceMode('cgroupnsMode', 'cgroup', 'every container has its own cgroup namespace'),
  userns: refuseNamespaceMode('userns', 'user', 'the platform sets the user namespace'),
} as const satisfies Record<string, RefusalCheck>;

export type RefusedContainerField = keyof typeof REFUSED_CONTAINER_FIELDS;

/** Fields of a port mapping that exist only to be refused: the platform allocates host ports. */
export const REFUSED_PORT_FIELDS = {
  hostPort: (value: unknown) =>
    value === undefined || value === null ? undefined : 'hostPort cannot be set: the platform allocates host ports',
  hostIp: (value: unknown) =>
    value === undefined || value === null
      ? undefined
      : 'hostIp cannot be set: the platform chooses the address ports are published on',
} as const satisfies Record<string, RefusalCheck>;

/** Fields of a volume mount that exist only to be refused. */
export const REFUSED_VOLUME_FIELDS = {
  hostPath: refuseHostPaths('host paths cannot be mounted: volumes are named volumes of the tenant'),
} as const satisfies Record<string, RefusalCheck>;

/**
 * A volume `name` that is really a host path (`/var/run/docker.sock`, `./data`,
 * `~/x`): Docker would bind-mount it. Other malformed names are a format error, not this.
 */
export const hostPathVolumeName: RefusalCheck = (value) => {
  if (typeof value !== 'string') return undefined;
  if (!/[/\\]/.test(value) && !value.startsWith('~') && value !== '.' && value !== '..') return undefined;
  return ENGINE_SOCKET.test(value)
    ? SOCKET_MESSAGE
    : `volume name '${value}' is a host path: volumes are named volumes of the tenant`;
};

/**
 * Mount points the runtime itself owns: `/` would replace the image, `/proc`, `/sys`
 * and `/dev` are the kernel interfaces the runtime sets up (and masks) for the container.
 */
const RESERVED_MOUNT_PATHS = ['/proc', '/sys', '/dev'];

export const reservedMountPath: RefusalCheck = (value) => {
  if (typeof value !== 'string' || !value.startsWith('/')) return undefined;
  const path = value.replace(/\/+$/, '') || '/';
  if (path === '/') return "mountPath '/' is not allowed: a volume cannot replace the container's root";
  const reserved = RESERVED_MOUNT_PATHS.find((root) => path === root || path.startsWith(`${root}/`));
  return reserved ? `mountPath '${value}' is not allowed: ${reserved} belongs to the container runtime` : undefined;
};
