export { applySecurityPolicy, type AllocatedPort, type PolicyContext } from './apply-security-policy';
export {
  DOCKER_DEFAULT_CAPABILITIES,
  DROPPED_CAPABILITIES,
  POLICY_HOST_CONFIG,
  type PolicyHostConfig,
} from './host-config';
export { engineContainerName, tenantNetworkName, tenantVolumeName } from './names';
export { securityViolations } from './refusals';
