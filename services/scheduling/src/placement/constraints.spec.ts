import { constraintProblem, describeConstraint, matchesConstraint } from './constraints';
import type { LabelConstraint } from './types';

describe('label constraints', () => {
  const labels = { zone: 'eu-1', disk: 'ssd' };

  it.each<[LabelConstraint, boolean]>([
    [{ key: 'zone', op: '==', value: 'eu-1' }, true],
    [{ key: 'zone', op: '==', value: 'eu-2' }, false],
    [{ key: 'gpu', op: '==', value: 'true' }, false],
    [{ key: 'zone', op: '!=', value: 'eu-2' }, true],
    [{ key: 'zone', op: '!=', value: 'eu-1' }, false],
    // "not on hdd" keeps hosts nobody labelled, as in Nomad, Swarm and Kubernetes' NotIn.
    [{ key: 'gpu', op: '!=', value: 'true' }, true],
    [{ key: 'disk', op: 'exists' }, true],
    [{ key: 'gpu', op: 'exists' }, false],
  ])('%j on {zone: eu-1, disk: ssd} is %s', (constraint, expected) => {
    expect(matchesConstraint(labels, constraint)).toBe(expected);
  });

  it('does not see inherited properties as labels', () => {
    expect(matchesConstraint({}, { key: 'constructor', op: 'exists' })).toBe(false);
    expect(matchesConstraint({}, { key: 'toString', op: '!=', value: 'x' })).toBe(true);
  });

  it('describes constraints as reasons quote them', () => {
    expect(describeConstraint({ key: 'zone', op: '==', value: 'eu-1' })).toBe('zone == eu-1');
    expect(describeConstraint({ key: 'gpu', op: 'exists' })).toBe('gpu exists');
  });

  it('finds malformed constraints, which come from JSON', () => {
    expect(constraintProblem({ key: 'zone', op: '==', value: 'a' })).toBeUndefined();
    expect(constraintProblem({ key: '', op: 'exists' })).toMatch(/key/);
    expect(constraintProblem({ key: 'zone', op: '~=' } as unknown as LabelConstraint)).toMatch(/op must be/);
    expect(constraintProblem({ key: 'zone', op: '==' } as unknown as LabelConstraint)).toMatch(/needs a string value/);
  });
});
