import { describe, expect, it } from 'vitest';
import { formatAxisNumber } from './format';

describe('chart axis numbers', () => {
  it('groups four digits like five, in German and English', () => {
    expect([0, 600, 4_500, 13_500, 1_250_000].map((v) => formatAxisNumber(v, 'de'))).toEqual(['0', '600', '4.500', '13.500', '1.250.000']);
    expect([4_500, 13_500].map((v) => formatAxisNumber(v, 'en'))).toEqual(['4,500', '13,500']);
    expect(formatAxisNumber(2.5, 'de')).toBe('2,5');
  });
});
