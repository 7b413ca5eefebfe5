import { describe, expect, it } from 'vitest';
import { activeMention, insertMention } from './mentions';

describe('mentions', () => {
  it('finds the mention being typed', () => {
    expect(activeMention('Hallo @Le', 9)).toEqual({ start: 6, query: 'Le' });
    expect(activeMention('@', 1)).toEqual({ start: 0, query: '' });
    expect(activeMention('Hallo @Lena Vo', 14)).toEqual({ start: 6, query: 'Lena Vo' });
  });

  it('ignores e-mail addresses, finished mentions and text without @', () => {
    expect(activeMention('mail an a@b.de', 14)).toBeNull();
    expect(activeMention('Hallo @[Lena Vogt](u1) und', 26)).toBeNull();
    expect(activeMention('Hallo Welt', 10)).toBeNull();
  });

  it('inserts the markup at the caret and keeps the rest of the text', () => {
    const text = 'Hallo @Le, bitte schauen';
    const caret = 9;
    const m = activeMention(text, caret);
    if (!m) throw new Error('no mention');
    const result = insertMention(text, m, caret, { id: 'u-1', name: 'Lena Vogt' });
    expect(result.text).toBe('Hallo @[Lena Vogt](u-1), bitte schauen');
    expect(result.caret).toBe('Hallo @[Lena Vogt](u-1)'.length);
  });

  it('adds a space after the mention at the end, and not twice', () => {
    expect(insertMention('@Le', { start: 0, query: 'Le' }, 3, { id: 'x', name: 'Lena Vogt' }).text).toBe(
      '@[Lena Vogt](x) ',
    );
    expect(insertMention('@Le weiter', { start: 0, query: 'Le' }, 3, { id: 'x', name: 'Lena [V]' }).text).toBe(
      '@[Lena V](x) weiter',
    );
  });
});
