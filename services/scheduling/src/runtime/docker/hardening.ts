import type Docker from 'dockerode';
import { POLICY_HOST_CONFIG } from '../../policy/host-config';
import { RuntimeError } from './errors';

/** HostConfig fields that are lists: the policy's entries are added to the driver's, never replace them. */
const LIST_FIELDS = ['SecurityOpt', 'CapDrop'] as const;

/**
 * The one place where the security policy's fixed hardening (`POLICY_HOST_CONFIG`, owned
 * by src/policy/host-config.ts) is merged into a HostConfig the driver built from a spec. The policy wins on every field
 * it sets; list fields are unioned. Then `assertHardened` checks the result, so a
 * policy constant that is ever edited into something weaker fails loudly here instead
 * of starting a container with it.
 */
export function hardenHostConfig(hostConfig: Docker.HostConfig): Docker.HostConfig {
  const merged: Docker.HostConfig = { ...hostConfig, ...POLICY_HOST_CONFIG };
  for (const field of LIST_FIELDS) {
    const values = [...asList(hostConfig[field]), ...asList(POLICY_HOST_CONFIG[field])];
    if (values.length) merged[field] = [...new Set(values)];
  }
  assertHardened(merged);
  return merged;
}

/** What must hold for every container the platform creates, whatever the policy constant says. */
export function assertHardened(hostConfig: Docker.HostConfig): void {
  const violations: string[] = [];
  if (hostConfig.Privileged) violations.push('Privileged');
  if (asList(hostConfig.Binds).length) violations.push('Binds');
  if ((hostConfig.Mounts ?? []).some((mount) => mount.Type !== 'volume')) violations.push('Mounts (non-volume)');
  if (asList(hostConfig.CapAdd).length) violations.push('CapAdd');
  if (asList(hostConfig.Devices).length) violations.push('Devices');
  for (const mode of ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode'] as const) {
    const value = hostConfig[mode] ?? '';
    if (value === 'host' || value.startsWith('container:')) violations.push(`${mode}=${value}`);
  }
  const securityOpt = asList(hostConfig.SecurityOpt);
  if (!securityOpt.some((opt) => /^no-new-privileges(:true)?$/.test(opt))) violations.push('no-new-privileges missing');
  if (securityOpt.some((opt) => /unconfined/.test(opt))) violations.push('unconfined security profile');
  if (violations.length) {
    throw new RuntimeError(`Refusing to create a container that is not hardened: ${violations.join(', ')}`);
  }
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
