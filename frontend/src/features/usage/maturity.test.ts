import { describe, expect, it } from 'vitest';
import { overallLevel } from './maturity';

describe('Reifegrad overall level', () => {
  it('is the lowest criterion, naming every criterion at that level', () => {
    expect(overallLevel([{ key: 'a', level: 4 }, { key: 'b', level: 1 }, { key: 'c', level: 3 }])).toEqual({ level: 1, weakest: ['b'] });
    expect(overallLevel([{ key: 'a', level: 2 }, { key: 'b', level: 2 }])).toEqual({ level: 2, weakest: ['a', 'b'] });
    expect(overallLevel([{ key: 'a', level: 0 }])).toEqual({ level: 0, weakest: ['a'] });
  });

  it('has none while a criterion is unrated or there are no criteria', () => {
    expect(overallLevel([{ key: 'a', level: 3 }, { key: 'b', level: null }])).toBeNull();
    expect(overallLevel([])).toBeNull();
  });
});
