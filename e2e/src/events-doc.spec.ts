import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { eventMetadata } from '@caas/domain';
import { REPO_ROOT } from '@caas/testing';
import { RELAYED_EVENT_TYPES } from '../../services/scheduling/src/relay/relayed-events';
import { type ContractEvent, type ContractUnion, readContractEvents } from './support/event-contracts';
import { EVENTS_DOC, readDocumentedEvents } from './support/events-doc';

/*
 * docs/events.md against the contracts: every public event type each context relays is
 * documented once, with its subject, schema version and data fields exactly as the
 * contract's TypeScript declares them. Needs no services.
 */

/** Every public event union, per relaying context (each service's RELAYED_CATEGORIES hold exactly these). */
const UNIONS: readonly ContractUnion[] = [
  { context: 'tenancy', file: 'tenancy/tenancy.events.ts', union: 'TenancyEvent' },
  { context: 'scheduling', file: 'scheduling/scheduling.events.ts', union: 'SchedulingEvent' },
  { context: 'images', file: 'images/images.events.ts', union: 'ImagesEvent' },
  { context: 'images', file: 'images/market.events.ts', union: 'SubmissionEvent' },
  { context: 'images', file: 'images/replication.events.ts', union: 'ReplicationEvent' },
  { context: 'billing', file: 'billing/billing.events.ts', union: 'BillingEvent' },
  { context: 'monitoring', file: 'monitoring/monitoring.events.ts', union: 'MonitoringEvent' },
];

/** The version every producer stamps today (`metadata.schemaVersion`); a bump names its type here. */
const CURRENT_VERSION = eventMetadata({
  tenantId: null,
  actor: SYSTEM_ACTOR,
  correlationId: 'c',
  causationId: 'c',
}).schemaVersion;
const BUMPED_VERSIONS: Readonly<Record<string, number>> = {};

/** Scheduling also records private events in its relayed categories; its relay passes only these. */
function relayed(event: ContractEvent): boolean {
  return event.context !== 'scheduling' || RELAYED_EVENT_TYPES.includes(event.type);
}

describe(`${EVENTS_DOC} documents every relayed public event as its contract declares it`, () => {
  const contract = readContractEvents(UNIONS);
  const expected = contract.filter(relayed);
  const documented = readDocumentedEvents();

  it('covers every relaying service and every event contract file', () => {
    const relayingContexts = readdirSync(join(REPO_ROOT, 'services'))
      .map((service) => join(REPO_ROOT, 'services', service, 'src/main.ts'))
      .flatMap((main) => {
        try {
          return [...readFileSync(main, 'utf8').matchAll(/startServiceRelay\(\{[^}]*?context: '(\w+)'/g)];
        } catch {
          return [];
        }
      })
      .map((match) => match[1]);
    expect(new Set(UNIONS.map((u) => u.context))).toEqual(new Set(relayingContexts));

    const contractFiles = readdirSync(join(REPO_ROOT, 'libs/contracts/src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.events.ts'))
      .map((file) => file.split('\\').join('/'));
    expect(new Set(UNIONS.map((u) => u.file))).toEqual(new Set(contractFiles));
  });

  it('every type scheduling relays is in its contract (private events are not, so they are not documented)', () => {
    const schedulingTypes = contract.filter((event) => event.context === 'scheduling').map((event) => event.type);
    expect(RELAYED_EVENT_TYPES.filter((type) => !schedulingTypes.includes(type))).toEqual([]);
    expect(documented.map((row) => row.type)).not.toContain('ContainerSpecRecorded');
  });

  it('documents each event type exactly once, and no type that is not relayed', () => {
    const types = documented.map((row) => row.type);
    expect(types.filter((type, i) => types.indexOf(type) !== i)).toEqual([]);
    expect([...types].sort()).toEqual(expected.map((event) => event.type).sort());
  });

  it('gives each type its subject caas.events.<context>.<EventType>, its version and its data fields', () => {
    const rows = new Map(documented.map((row) => [row.type, row]));
    const mismatches = expected.flatMap((event) => {
      const row = rows.get(event.type);
      if (!row) return [];
      const want = {
        subject: `caas.events.${event.context}.${event.type}`,
        version: BUMPED_VERSIONS[event.type] ?? CURRENT_VERSION,
        dataFields: [...event.dataFields].sort(),
      };
      const have = { subject: row.subject, version: row.version, dataFields: [...row.dataFields].sort() };
      return JSON.stringify(want) === JSON.stringify(have)
        ? []
        : [{ at: `${EVENTS_DOC}:${row.line}`, type: event.type, want, have }];
    });
    expect(mismatches).toEqual([]);
  });
});
