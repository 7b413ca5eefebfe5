import { describe, expect, it } from 'vitest';
import { applicationFromSearch, applicationOptions, chosenApplication } from './applicationChoice';

const items = [
  { id: 'a2', title: 'Smarte Nahversorgung', programme_name: 'Modellprojekte Smart Cities' },
  { id: 'a1', title: 'Digitales Bürgerbüro', programme_name: 'Digitalbonus' },
  { id: 'a3', title: 'Öffentliches WLAN', programme_name: 'WiFi4EU' },
];

describe('the funding application of a support request', () => {
  it('is preselected from ?antrag=', () => {
    expect(applicationFromSearch(new URLSearchParams('antrag=a1'))).toBe('a1');
    expect(applicationFromSearch(new URLSearchParams('antrag=%20a1%20'))).toBe('a1');
    expect(applicationFromSearch(new URLSearchParams(''))).toBe('');
    expect(applicationFromSearch(new URLSearchParams('antrag='))).toBe('');
  });

  it('is chosen from options sorted by title, labelled with title and programme', () => {
    const options = applicationOptions(items, (a) => `${a.title} (${a.programme_name})`, 'de');
    expect(options).toEqual([
      { value: 'a1', label: 'Digitales Bürgerbüro (Digitalbonus)' },
      { value: 'a3', label: 'Öffentliches WLAN (WiFi4EU)' },
      { value: 'a2', label: 'Smarte Nahversorgung (Modellprojekte Smart Cities)' },
    ]);
    expect(items.map((a) => a.id)).toEqual(['a2', 'a1', 'a3']);
  });

  it('keeps the preselection while loading and drops an id the caller cannot see', () => {
    expect(chosenApplication('a1', undefined)).toBe('a1');
    expect(chosenApplication('a1', items)).toBe('a1');
    expect(chosenApplication('fremd', items)).toBe('');
    expect(chosenApplication('', items)).toBe('');
  });
});
