import { InvalidArgumentError } from './errors';

/**
 * Streams are named `<category>-<id>`. The category is everything before the first
 * '-', as EventStoreDB's by-category projection reads it, so ids may contain dashes
 * (UUIDs do) but categories may not.
 */
export function streamName(category: string, id: string): string {
  assertCategory(category);
  if (id.length === 0) throw new InvalidArgumentError('Stream id must not be empty');
  return `${category}-${id}`;
}

export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash <= 0 ? stream : stream.slice(0, dash);
}

export function idOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash <= 0 ? '' : stream.slice(dash + 1);
}

export function assertCategory(category: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(category)) {
    throw new InvalidArgumentError(
      `Category '${category}' must start with a letter and contain only letters, digits and '_'`,
    );
  }
}
