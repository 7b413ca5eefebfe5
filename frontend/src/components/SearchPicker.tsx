// Choose several items by searching: the chosen ones as chips with a remove button, a search
// field, and the results as buttons that add. Used by the OZG picker and the strategy's
// project picker; each passes its search, its texts and how an item is labelled.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useT } from '@/lib/i18n';
import { useDebounced } from '@/lib/useDebounced';
import { Fieldset, TextField } from './Field';

export interface SearchPickerTexts {
  legend: string;
  hint: string;
  chosen: string;
  none: string;
  search: string;
  noResults: string;
  results: string;
  remove: string;
  add: string;
  added: string;
}

interface SearchPickerProps<C, R> {
  value: C[];
  onChange: (value: C[]) => void;
  error?: string;
  /** Choosing none is fine: the legend carries the optional marker. */
  optional?: boolean;
  texts: SearchPickerTexts;
  /** Query key prefix of the search; the search text is appended. */
  queryKey: readonly unknown[];
  search: (q: string) => Promise<{ items: R[] }>;
  keyOf: (item: C | R) => string | number;
  toChoice: (result: R) => C;
  /** The name of a chosen item (chip text and the remove button's label). */
  nameOf: (item: C) => string;
  chipLabel: (item: C) => string;
  resultLabel: (result: R) => string;
}

export function SearchPicker<C, R>(p: SearchPickerProps<C, R>) {
  const t = useT();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  const resultsId = useId();
  const found = useQuery({
    queryKey: [...p.queryKey, debounced],
    queryFn: () => p.search(debounced),
    enabled: debounced.length >= 2,
    placeholderData: keepPreviousData,
  });
  const chosen = new Set(p.value.map(p.keyOf));
  const results = debounced.length >= 2 ? (found.data?.items ?? []) : [];
  return (
    <Fieldset legend={p.texts.legend} hint={p.texts.hint} error={p.error} optional={p.optional}>
      {p.value.length ? (
        <ul className="dn-chip-list" aria-label={p.texts.chosen}>
          {p.value.map((item) => (
            <li key={p.keyOf(item)} className="dn-chip">
              <span className="kern-body">{p.chipLabel(item)}</span>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                aria-label={t('action.forItem', { action: p.texts.remove, item: p.nameOf(item) })}
                onClick={() => p.onChange(p.value.filter((v) => p.keyOf(v) !== p.keyOf(item)))}
              >
                <span className="kern-icon kern-icon--close" aria-hidden="true" />
                <span className="kern-label">{p.texts.remove}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body kern-body--small">{p.texts.none}</p>
      )}
      <TextField
        label={p.texts.search}
        type="search"
        value={q}
        aria-controls={resultsId}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault();
        }}
      />
      <div id={resultsId} aria-live="polite">
        {debounced.length >= 2 && found.isSuccess && results.length === 0 ? (
          <p className="kern-body kern-body--small">{p.texts.noResults}</p>
        ) : null}
        {results.length ? (
          <ul className="dn-plain-list" aria-label={p.texts.results}>
            {results.map((r) => (
              <li key={p.keyOf(r)}>
                <button
                  type="button"
                  className="kern-btn kern-btn--secondary kern-btn--x-small"
                  disabled={chosen.has(p.keyOf(r))}
                  onClick={() => p.onChange([...p.value, p.toChoice(r)])}
                >
                  <span className="kern-label">
                    {chosen.has(p.keyOf(r)) ? p.texts.added : p.texts.add}: {p.resultLabel(r)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Fieldset>
  );
}
