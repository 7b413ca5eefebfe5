// "@" mentions in comments: find the word being typed, insert `@[Name](user-id)`.

export interface MentionQuery {
  /** Index of the "@" in the text. */
  start: number;
  /** What was typed after "@" so far. */
  query: string;
}

/** The mention being typed at `caret`, if any: "@" at a word start, then up to 40 non-bracket characters. */
export function activeMention(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s|\(/.test(before.charAt(at - 1))) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[[\]()@\n]/.test(query) || /\s{2}/.test(query)) return null;
  return { start: at, query };
}

/** Replaces the typed "@query" with the mention markup; returns the new text and caret. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  user: { id: string; name: string },
): { text: string; caret: number } {
  const name = user.name.replace(/[[\]]/g, '');
  const markup = `@[${name}](${user.id})`;
  const after = text.slice(caret);
  const spacer = after === '' || /^[^\s.,;:!?)]/.test(after) ? ' ' : '';
  const next = text.slice(0, mention.start) + markup + spacer + after;
  return { text: next, caret: mention.start + markup.length + spacer.length };
}
