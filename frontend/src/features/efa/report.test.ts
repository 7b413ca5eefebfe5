import { describe, expect, it } from 'vitest';
import { parseRating, REPORT_MAX, validateReport } from './report';

describe('experience report validation', () => {
  it('accepts a text with a rating from 1 to 5', () => {
    expect(validateReport({ body: 'Läuft gut.', rating: '4' })).toEqual({});
    expect(validateReport({ body: 'x', rating: '1' })).toEqual({});
    expect(validateReport({ body: 'x', rating: '5' })).toEqual({});
  });

  it('asks for a rating and for a text', () => {
    expect(validateReport({ body: '  ', rating: '' })).toEqual({
      body: 'validation.required',
      rating: 'efa.report.ratingMissing',
    });
  });

  it('refuses ratings outside 1 to 5 and non-numbers', () => {
    for (const bad of ['0', '6', '10', '-1', '2.5', 'gut']) {
      expect(validateReport({ body: 'x', rating: bad }).rating).toBe('efa.report.ratingRange');
    }
    expect(parseRating('3')).toBe(3);
    expect(parseRating('7')).toBeNull();
  });

  it('limits the length of the text', () => {
    expect(validateReport({ body: 'a'.repeat(REPORT_MAX + 1), rating: '3' }).body).toBe('efa.report.tooLong');
  });
});
