import { divideRounded, formatAmount, parseAmount } from './money';

describe('money in micro-units', () => {
  it('parses non-negative decimals with up to six places, exactly', () => {
    expect(parseAmount('12.5')).toBe(12_500_000n);
    expect(parseAmount('0.000001')).toBe(1n);
    expect(parseAmount('29')).toBe(29_000_000n);
  });

  it.each(['-1', '1.0000001', '01', '1e3', '', ' 1', 'NaN', '1.'])('refuses %j', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it('formats with six decimals', () => {
    expect(formatAmount(12_500_000n)).toBe('12.500000');
    expect(formatAmount(1n)).toBe('0.000001');
    expect(formatAmount(-1_500_000n)).toBe('-1.500000');
  });

  it('rounds half away from zero, once', () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(4n, 3n)).toBe(1n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(7_200_000n * 12_500n, 3_600_000n)).toBe(25_000n);
  });
});
