// Comment textarea with "@" autocomplete (GET /projects/{id}/mentionable?q=): a textbox with
// aria-autocomplete and a listbox of suggestions.
import { useQuery } from '@tanstack/react-query';
import { useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { TextAreaField } from '@/components';
import { useT } from '@/lib/i18n';
import { projectsApi } from './api';
import { activeMention, insertMention, type MentionQuery } from './mentions';
import { useDebounced } from './queries';
import type { Mentionable } from './types';

interface Props {
  projectId: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}

export function MentionTextarea({ projectId, label, value, onChange, error }: Props) {
  const t = useT();
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  // Where the caret goes once the text with the inserted mention is rendered.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (pendingCaret.current === null || !el) return;
    el.focus();
    el.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  }, [value]);
  const q = useDebounced(mention?.query ?? null, 150);
  const options = useQuery({
    queryKey: ['projects', 'detail', projectId, 'mentionable', q],
    queryFn: () => projectsApi.mentionable(projectId, q ?? ''),
    enabled: mention !== null && q !== null,
  });
  const items: Mentionable[] = mention ? (options.data?.items ?? []) : [];
  const open = mention !== null && items.length > 0;

  const track = (text: string, caret: number) => {
    const next = activeMention(text, caret);
    setMention(next);
    if (next?.query !== mention?.query) setActive(0);
  };

  const pick = (user: Mentionable) => {
    const el = ref.current;
    if (!mention || !el) return;
    const caret = el.selectionStart;
    const result = insertMention(value, mention, caret, user);
    pendingCaret.current = result.caret;
    onChange(result.text);
    setMention(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + items.length) % items.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const user = items[Math.min(active, items.length - 1)];
      if (user) {
        e.preventDefault();
        pick(user);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setMention(null);
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;

  return (
    <div className="dn-mention">
      <TextAreaField
        ref={ref}
        label={label}
        hint={t('projects.comments.mentionHint')}
        rows={4}
        value={value}
        error={error}
        // A textarea may not take role=combobox (nor aria-expanded); as a textbox with
        // aria-autocomplete it still points screen readers at the suggestion list.
        aria-autocomplete="list"
        aria-controls={listId}
        aria-activedescendant={open ? optionId(active) : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          track(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onClick={(e) => track(e.currentTarget.value, e.currentTarget.selectionStart)}
        onBlur={() => setTimeout(() => setMention(null), 200)}
        after={
          <ul id={listId} role="listbox" aria-label={t('projects.comments.mentionList')} className="dn-mention__list" hidden={!open}>
            {items.map((u, i) => (
              <li
                key={u.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={`dn-mention__option${i === active ? ' dn-mention__option--active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(u)}
              >
                {u.name}
                {u.municipality_name ? <span className="kern-body--small"> ({u.municipality_name})</span> : null}
              </li>
            ))}
          </ul>
        }
      />
    </div>
  );
}
