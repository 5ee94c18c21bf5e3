import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@caas/testing';

/** One row of docs/events.md's event tables. */
export interface DocumentedEvent {
  readonly type: string;
  readonly subject: string;
  readonly version: number;
  readonly dataFields: readonly string[];
  readonly line: number;
}

export const EVENTS_DOC = 'docs/events.md';
/** The section of docs/events.md that holds one table per context; every row in it is an event. */
export const EVENT_TABLES_HEADING = '## Event types';

const ROW = /^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|(.*)\|\s*$/;
const HEADER_OR_RULE = /^\|\s*(Event type\s*\||[-:| ]+$)/;

/**
 * The rows of every table under "## Event types" (up to the next `## ` heading). A table
 * line there that is not `| \`Type\` | \`subject\` | version | \`field\`, … |` is an error,
 * so a mangled row cannot quietly drop out of the check.
 */
export function readDocumentedEvents(markdown = readFileSync(join(REPO_ROOT, EVENTS_DOC), 'utf8')): DocumentedEvent[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === EVENT_TABLES_HEADING);
  if (start < 0) throw new Error(`${EVENTS_DOC} has no "${EVENT_TABLES_HEADING}" section`);
  const rows: DocumentedEvent[] = [];
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('## '); i += 1) {
    const line = lines[i].trim();
    if (!line.startsWith('|') || HEADER_OR_RULE.test(line)) continue;
    const match = ROW.exec(line);
    if (!match) throw new Error(`${EVENTS_DOC}:${i + 1}: not an event row: ${line}`);
    const [, type, subject, version, fields] = match;
    const dataFields = [...fields.matchAll(/`([^`]+)`/g)].map((field) => field[1]);
    rows.push({ type, subject, version: Number(version), dataFields, line: i + 1 });
  }
  return rows;
}
