import { type HeartbeatObservation, heartbeatDecisions } from './heartbeat-decisions';

const ttl = 10_000;
const now = 1_000_000;
const host = (o: Partial<HeartbeatObservation>): HeartbeatObservation => ({
  hostId: 'h',
  status: 'up',
  lastSeenMs: now,
  answered: true,
  ...o,
});

describe('heartbeatDecisions', () => {
  it.each([
    // [case, observation, markDown?, markUp?]
    ['an up host that answers: nothing', host({}), false, false],
    [
      'an up host silent for less than the TTL: nothing',
      host({ answered: false, lastSeenMs: now - 9_999 }),
      false,
      false,
    ],
    [
      'an up host silent for exactly the TTL: nothing yet',
      host({ answered: false, lastSeenMs: now - ttl }),
      false,
      false,
    ],
    [
      'an up host silent for longer than the TTL: down',
      host({ answered: false, lastSeenMs: now - ttl - 1 }),
      true,
      false,
    ],
    [
      'a draining host silent too long: down',
      host({ status: 'draining', answered: false, lastSeenMs: 0 }),
      true,
      false,
    ],
    ['a down host still silent: nothing', host({ status: 'down', answered: false, lastSeenMs: 0 }), false, false],
    ['a down host that answers: up', host({ status: 'down', answered: true, lastSeenMs: now }), false, true],
    ['a removed host, silent: nothing', host({ status: 'removed', answered: false, lastSeenMs: 0 }), false, false],
    ['a removed host that answers: nothing', host({ status: 'removed', answered: true }), false, false],
    // The answer of this round wins over a stale last-seen (it was just updated anyway).
    ['an up host that answers after a long silence: nothing', host({ lastSeenMs: 0 }), false, false],
  ])('%s', (_case, observation, down, up) => {
    const decisions = heartbeatDecisions([observation], now, ttl);
    expect(decisions.markDown).toEqual(down ? [{ hostId: 'h', lastSeenMs: observation.lastSeenMs }] : []);
    expect(decisions.markUp).toEqual(up ? ['h'] : []);
  });

  it('decides each host on its own', () => {
    const decisions = heartbeatDecisions(
      [
        host({ hostId: 'a' }),
        host({ hostId: 'b', answered: false, lastSeenMs: now - 20_000 }),
        host({ hostId: 'c', status: 'down' }),
        host({ hostId: 'd', status: 'down', answered: false }),
      ],
      now,
      ttl,
    );
    expect(decisions).toEqual({ markDown: [{ hostId: 'b', lastSeenMs: now - 20_000 }], markUp: ['c'] });
  });

  it('decides nothing for no hosts', () => {
    expect(heartbeatDecisions([], now, ttl)).toEqual({ markDown: [], markUp: [] });
  });
});
