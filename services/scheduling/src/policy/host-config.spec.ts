import type Docker from 'dockerode';
import { DOCKER_DEFAULT_CAPABILITIES, DROPPED_CAPABILITIES, POLICY_HOST_CONFIG } from './host-config';

describe('POLICY_HOST_CONFIG', () => {
  it('sets no-new-privileges', () => {
    expect(POLICY_HOST_CONFIG.SecurityOpt).toContain('no-new-privileges:true');
  });

  it('grants nothing privileged', () => {
    const config = POLICY_HOST_CONFIG as unknown as Record<string, unknown>;
    expect(config.Privileged).toBe(false);
    expect(config).not.toHaveProperty('CapAdd');
    expect(config).not.toHaveProperty('Binds');
    expect(config).not.toHaveProperty('Mounts');
    expect(config).not.toHaveProperty('Sysctls');
    expect(config.Devices).toEqual([]);
    for (const mode of ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode', 'CgroupnsMode']) {
      expect([undefined, 'private']).toContain(config[mode]);
    }
    expect(POLICY_HOST_CONFIG.SecurityOpt.join(' ')).not.toMatch(/unconfined|no-new-privileges:false|label[:=]disable/);
  });

  it("drops NET_RAW and keeps what common images need from Docker's defaults", () => {
    expect(POLICY_HOST_CONFIG.CapDrop).toContain('NET_RAW');
    const effective = DOCKER_DEFAULT_CAPABILITIES.filter((cap) => !POLICY_HOST_CONFIG.CapDrop.includes(cap));
    expect(effective).toEqual(
      expect.arrayContaining(['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE', 'KILL', 'DAC_OVERRIDE']),
    );
    expect(POLICY_HOST_CONFIG.CapDrop).toEqual([...DROPPED_CAPABILITIES]);
  });

  it('cannot be weakened at run time', () => {
    expect(() => POLICY_HOST_CONFIG.SecurityOpt.pop()).toThrow(TypeError);
    expect(() => ((POLICY_HOST_CONFIG as { Privileged: boolean }).Privileged = true)).toThrow(TypeError);
  });

  it('is a Docker HostConfig the driver can spread over its own', () => {
    const built: Docker.HostConfig = { Memory: 1, NetworkMode: 'caas-tenant-x', Privileged: true };
    const merged: Docker.HostConfig = { ...built, ...POLICY_HOST_CONFIG };
    expect(merged).toMatchObject({ Memory: 1, NetworkMode: 'caas-tenant-x', Privileged: false });
  });
});
