import { comparePositions, parsePosition, serializePosition } from './position';

describe('position', () => {
  it('orders by commit, then prepare', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 5n }, { commit: 2n, prepare: 4n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 4n }, { commit: 2n, prepare: 4n })).toBe(0);
  });

  it('round-trips through its text form, beyond 2^53', () => {
    const position = { commit: 2n ** 60n + 7n, prepare: 12345678901234567n };
    expect(parsePosition(serializePosition(position))).toEqual(position);
  });

  it('rejects text that is not a position', () => {
    expect(() => parsePosition('12')).toThrow("Not a position: '12'");
  });
});
