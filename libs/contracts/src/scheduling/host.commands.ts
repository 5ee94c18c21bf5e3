import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Rule, labelsProblem } from './validators';

/** Command payloads for Docker hosts, version 1. Platform admins only. */

const CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n[\s\S]+?-----END CERTIFICATE-----\s*$/;
/** Unencrypted keys only: the service has nowhere safe to keep a passphrase. */
const PRIVATE_KEY = /^-----BEGIN (RSA |EC )?PRIVATE KEY-----\r?\n[\s\S]+?-----END (RSA |EC )?PRIVATE KEY-----\s*$/;

/** TLS client credentials for a `tcp://` engine (Docker's `--tlsverify` setup), PEM text. */
export class HostTlsV1 {
  @ApiProperty({ description: "PEM: the CA that signed the engine's server certificate" })
  @IsString()
  @MaxLength(65_536)
  @Matches(CERTIFICATE, { message: 'caPem must be PEM certificates (-----BEGIN CERTIFICATE-----)' })
  caPem!: string;

  @ApiProperty({ description: 'PEM: the client certificate the engine trusts' })
  @IsString()
  @MaxLength(16_384)
  @Matches(CERTIFICATE, { message: 'certPem must be a PEM certificate (-----BEGIN CERTIFICATE-----)' })
  certPem!: string;

  @ApiProperty({ description: "PEM: the client certificate's private key, unencrypted" })
  @IsString()
  @MaxLength(16_384)
  @Matches(PRIVATE_KEY, { message: 'keyPem must be an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----)' })
  keyPem!: string;
}

const UNIX_ENDPOINT = /^unix:\/\/(\/[^\0]*)$/;
/** `tcp://` then a host name, IPv4 or [IPv6], then a port. */
const TCP_ENDPOINT = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$/;

export const isTcpEndpoint = (endpoint: unknown): boolean =>
  typeof endpoint === 'string' && endpoint.startsWith('tcp://');

function endpointProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && UNIX_ENDPOINT.test(value)) {
    const path = value.slice('unix://'.length);
    return /(^|\/)\.\.?(\/|$)/.test(path) ? 'endpoint must be a normalised socket path' : undefined;
  }
  const tcp = typeof value === 'string' ? TCP_ENDPOINT.exec(value) : null;
  if (!tcp) return 'endpoint must be unix:///path/to/docker.sock or tcp://host:port';
  const port = Number(tcp[2]);
  return port < 1 || port > 65535 ? 'endpoint port must be 1-65535' : undefined;
}

/** An engine's API is root on its host: never over an unauthenticated, unencrypted connection. */
function endpointTlsProblem(value: unknown, object: object): string | undefined {
  const hasTls = (object as RegisterHostV1).tls !== undefined;
  if (isTcpEndpoint(value) && !hasTls) {
    return 'tcp:// endpoints require tls (caPem, certPem, keyPem): plain tcp is refused';
  }
  if (typeof value === 'string' && value.startsWith('unix://') && hasTls) return 'tls applies to tcp:// endpoints only';
  return undefined;
}

export class RegisterHostV1 {
  @ApiProperty({
    example: 'tcp://docker-1.internal:2376',
    description: 'unix:///path/to/docker.sock, or tcp://host:port with tls (plain tcp is refused)',
  })
  @IsString()
  @MaxLength(512)
  @Rule('endpoint', endpointProblem)
  @Rule('tls', endpointTlsProblem)
  endpoint!: string;

  @ApiPropertyOptional({ type: HostTlsV1, description: 'Required for tcp:// endpoints' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => HostTlsV1)
  tls?: HostTlsV1;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { zone: 'eu-1a', disk: 'ssd' },
    description: "Matched by containers' placement constraints",
  })
  @IsOptional()
  @Rule('labels', labelsProblem('labels', false))
  labels?: Record<string, string>;

  @ApiProperty({ description: 'The environment whose containers this host runs' })
  @IsUUID()
  environmentId!: string;

  @ApiPropertyOptional({ description: "Reserve the host for one tenant: nobody else's containers are placed on it" })
  @IsOptional()
  @IsUUID()
  dedicatedTenantId?: string;
}

export class HostRefV1 {
  @ApiProperty()
  @IsUUID()
  hostId!: string;
}
