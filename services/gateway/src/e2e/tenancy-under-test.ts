import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What the e2e spec needs of the tenancy service: services/tenancy/src/main.ts's startTenancy(). */
export interface RunningTenancy {
  close(): Promise<void>;
}

export interface TenancyStartConfig {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly bootstrapAdmin?: { readonly email: string; readonly password: string };
  readonly shutdownGraceMs?: number;
  readonly logLevels?: ('log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal')[];
}

export type StartTenancy = (config: TenancyStartConfig) => Promise<RunningTenancy>;

const TENANCY_MAIN = join(__dirname, '..', '..', '..', 'tenancy', 'src', 'main.ts');

/**
 * The tenancy service's in-process entry point, or why it cannot be used. Loaded at
 * run time, so the gateway neither type-checks against nor depends on another
 * service's sources; only this e2e spec reaches across.
 */
export function loadTenancy(): { start: StartTenancy } | { missing: string } {
  if (!existsSync(TENANCY_MAIN)) return { missing: `${TENANCY_MAIN} does not exist yet` };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(TENANCY_MAIN) as { startTenancy?: unknown };
  if (typeof module.startTenancy !== 'function') {
    return { missing: `${TENANCY_MAIN} does not export startTenancy(config)` };
  }
  return { start: module.startTenancy as StartTenancy };
}
