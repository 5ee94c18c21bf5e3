import {
  CONTAINER_DEFAULTS,
  CaasError,
  type ContainerTemplateV1,
  type FieldViolation,
  type HealthCheckV1,
  type PortProtocol,
} from '@caas/contracts';
import {
  LABELS,
  type HealthCheck,
  type PortBinding,
  type RuntimeContainerSpec,
  type VolumeMount,
} from '../runtime/runtime-spec';
import { resourceLimits } from './limits';
import { engineContainerName, tenantNetworkName, tenantVolumeName } from './names';
import { securityViolations } from './refusals';

/** A host port placement reserved for one container port on the chosen host. */
export interface AllocatedPort {
  readonly containerPort: number;
  readonly protocol: PortProtocol;
  readonly hostPort: number;
}

/** What the platform decided about this container; never from the tenant's payload. */
export interface PolicyContext {
  readonly tenantId: string;
  readonly containerId: string;
  readonly serviceId?: string;
  readonly replica?: number;
  readonly hostId: string;
  /** One per port of the spec, allocated on `hostId`. */
  readonly allocatedPorts: readonly AllocatedPort[];
  /** The host address ports are published on (127.0.0.1 on the local test engines). */
  readonly hostIp: string;
}

/**
 * The one way from a tenant's container spec to what a runtime runs. It
 * (a) refuses, all at once and by field, every option that would give the container
 *     the host — even if the spec was never validated;
 * (b) sets what the platform requires whatever the spec says: CPU, memory and PIDs
 *     limits, the platform's labels, the tenant's network, tenant-prefixed volumes;
 * (c) builds the result field by field from what it knows, never by copying the
 *     spec, so no unknown field (`HostConfig`, `Privileged`…) can reach the driver.
 * The driver adds POLICY_HOST_CONFIG (./host-config.ts) to every container.
 *
 * `spec` is a CreateContainerV1, or the template of a service's replica
 * (CreateServiceV1 and its updates): both are a ContainerTemplateV1.
 */
export function applySecurityPolicy(spec: ContainerTemplateV1, context: PolicyContext): RuntimeContainerSpec {
  const limits = resourceLimits(spec.resources);
  const violations: FieldViolation[] = [...securityViolations(spec), ...limits.violations];
  if (violations.length > 0) {
    throw new CaasError('validation', violations.map((violation) => violation.message).join('; '), { violations });
  }
  const { tenantId } = context;
  return {
    name: engineContainerName(tenantId, context.containerId),
    image: spec.image,
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.entrypoint ? { entrypoint: [...spec.entrypoint] } : {}),
    env: { ...spec.env },
    ports: (spec.ports ?? []).map((port) => publish(port, context)),
    resources: limits.resources,
    volumes: (spec.volumes ?? []).map((volume): VolumeMount => ({
      volumeName: tenantVolumeName(tenantId, volume.name),
      mountPath: volume.mountPath,
      readOnly: volume.readOnly === true,
    })),
    restartPolicy: spec.restartPolicy ?? CONTAINER_DEFAULTS.restartPolicy,
    labels: platformLabels(context),
    network: tenantNetworkName(tenantId),
    ...(spec.healthCheck ? { healthCheck: healthCheck(spec.healthCheck) } : {}),
  };
}

/**
 * Only the platform's labels reach the engine: they are how observed containers are
 * matched to desired state, so a tenant's own labels (kept in the platform's state)
 * must never be able to claim another tenant, service or replica.
 */
function platformLabels(context: PolicyContext): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.tenant]: context.tenantId,
    [LABELS.container]: context.containerId,
    [LABELS.host]: context.hostId,
    ...(context.serviceId !== undefined ? { [LABELS.service]: context.serviceId } : {}),
    ...(context.replica !== undefined ? { [LABELS.replica]: String(context.replica) } : {}),
  };
}

function publish(port: { containerPort: number; protocol?: PortProtocol }, context: PolicyContext): PortBinding {
  const protocol = port.protocol ?? CONTAINER_DEFAULTS.protocol;
  const allocated = context.allocatedPorts.find(
    (candidate) => candidate.containerPort === port.containerPort && candidate.protocol === protocol,
  );
  // Placement allocates every port before the policy runs: a gap is the platform's bug, not the tenant's.
  if (!allocated || !Number.isInteger(allocated.hostPort) || allocated.hostPort < 1 || allocated.hostPort > 65535) {
    throw new CaasError('internal', `Security policy: no host port allocated for ${port.containerPort}/${protocol}`);
  }
  return { containerPort: port.containerPort, protocol, hostPort: allocated.hostPort, hostIp: context.hostIp };
}

function healthCheck(check: HealthCheckV1): HealthCheck {
  const defaults = CONTAINER_DEFAULTS.healthCheck;
  return {
    test: [...check.test],
    intervalSeconds: check.intervalSeconds ?? defaults.intervalSeconds,
    timeoutSeconds: check.timeoutSeconds ?? defaults.timeoutSeconds,
    retries: check.retries ?? defaults.retries,
    startPeriodSeconds: check.startPeriodSeconds ?? defaults.startPeriodSeconds,
  };
}
