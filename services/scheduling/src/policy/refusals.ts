import {
  FORBIDDEN_RULE,
  REFUSED_CONTAINER_FIELDS,
  REFUSED_PORT_FIELDS,
  REFUSED_VOLUME_FIELDS,
  VOLUME_NAME,
  CONTAINER_LIMITS,
  hostPathVolumeName,
  reservedMountPath,
  type FieldViolation,
  type RefusalCheck,
} from '@caas/contracts';

/**
 * Every security refusal in a container spec, named as the contract names it
 * (`privileged`, `ports.0.hostPort`, `volumes.1.name`). Runs the contract's own
 * checks again on whatever object reaches the policy, so a caller that skipped
 * validation — a replayed event, a test, a future internal path — still cannot get
 * a privileged container. All of them at once, not just the first.
 */
export function securityViolations(spec: unknown): FieldViolation[] {
  const violations: FieldViolation[] = [];
  const check = (field: string, refusal: RefusalCheck, value: unknown) => {
    const message = refusal(value);
    if (message !== undefined) violations.push({ field, rule: FORBIDDEN_RULE, message });
  };
  const fields = asRecord(spec);

  for (const [field, refusal] of Object.entries(REFUSED_CONTAINER_FIELDS)) check(field, refusal, fields[field]);

  itemsOf(fields.ports).forEach((port, index) => {
    for (const [field, refusal] of Object.entries(REFUSED_PORT_FIELDS)) {
      check(`ports.${index}.${field}`, refusal, port[field]);
    }
  });

  itemsOf(fields.volumes).forEach((volume, index) => {
    const at = `volumes.${index}`;
    check(`${at}.hostPath`, REFUSED_VOLUME_FIELDS.hostPath, volume.hostPath);
    check(`${at}.name`, hostPathVolumeName, volume.name);
    // Not a path, but not a plain volume name either: Docker might still read it as one.
    if (hostPathVolumeName(volume.name) === undefined && !isVolumeName(volume.name)) {
      violations.push({
        field: `${at}.name`,
        rule: 'volumeName',
        message: 'volume name must be letters, digits, _ . -',
      });
    }
    check(`${at}.mountPath`, reservedMountPath, volume.mountPath);
    if (typeof volume.mountPath !== 'string' || !volume.mountPath.startsWith('/')) {
      violations.push({
        field: `${at}.mountPath`,
        rule: 'absolutePath',
        message: 'mountPath must be an absolute path',
      });
    }
  });

  return violations;
}

function isVolumeName(value: unknown): boolean {
  return typeof value === 'string' && value.length <= CONTAINER_LIMITS.volumeNameLength && VOLUME_NAME.test(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The items of a list field; a list that is not one has nothing to refuse (and fails elsewhere). */
function itemsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}
