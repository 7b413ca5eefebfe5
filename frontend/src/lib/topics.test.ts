import { describe, expect, it } from 'vitest';
import { toggleTopic, topicNames } from './topics';

const topics = [
  { id: 't1', name: 'E-Government' },
  { id: 't2', name: 'Bildung' },
  { id: 't3', name: 'Mobilität' },
];

describe('topics', () => {
  it('names chosen topics in the list order and skips unknown ids', () => {
    expect(topicNames(['t3', 'x', 't1'], topics)).toEqual(['E-Government', 'Mobilität']);
    expect(topicNames([], topics)).toEqual([]);
  });

  it('toggles one topic without duplicates', () => {
    expect(toggleTopic(['t1'], 't2', true)).toEqual(['t1', 't2']);
    expect(toggleTopic(['t1', 't2'], 't2', true)).toEqual(['t1', 't2']);
    expect(toggleTopic(['t1', 't2'], 't1', false)).toEqual(['t2']);
  });
});
