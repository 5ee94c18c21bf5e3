import { InvalidArgumentError } from './errors';
import type { Position } from './types';

export const START_POSITION: Position = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** A stable text form for checkpoints and cursors, e.g. `"1234/57"`. */
export function serializePosition(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

export function parsePosition(text: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError(`Not a position: '${text}'`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
