// Link projects to an application: the chosen ones as a removable list, a search over
// GET /projects?q= with add/remove buttons and pages; changes are announced politely.
import { useEffect, useId, useRef, useState } from 'react';
import { Fieldset, Pagination, TextField } from '@/components';
import { useT } from '@/lib/i18n';
import { useDebounced } from '@/lib/useDebounced';
import { addProjectId, chosenProjectViews, knownFromLinked, removeProjectId, type ChosenProjectView, type KnownProject } from './projectLinks';
import { useProjectSearch } from './queries';

interface Props {
  value: string[];
  onChange: (value: string[]) => void;
  /** The application's linked projects as the server sent them (titles, no extra requests). */
  linked?: readonly { id: string; title: string }[];
  error?: string;
}

export function ProjectPicker({ value, onChange, linked, error }: Props) {
  const t = useT();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const debounced = useDebounced(q.trim(), 300);
  const search = useProjectSearch(debounced, page);
  // Titles of the linked projects and of those picked from the results, so none needs a request.
  const [known, setKnown] = useState<Record<string, KnownProject>>(() => knownFromLinked(linked));
  const views = chosenProjectViews(value, known);
  const [announcement, setAnnouncement] = useState('');
  const resultsId = useId();
  const chosenRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLDivElement>(null);
  // After removing from the chosen list its button is gone: focus the next one, or the search.
  const focusAfterRemove = useRef<number | null>(null);
  useEffect(() => {
    const index = focusAfterRemove.current;
    if (index === null) return;
    focusAfterRemove.current = null;
    const buttons = chosenRef.current?.querySelectorAll<HTMLButtonElement>('button');
    const target = buttons?.length ? buttons[Math.min(index, buttons.length - 1)] : searchRef.current?.querySelector('input');
    target?.focus();
  });

  const active = debounced.length >= 2;
  const results = active ? (search.data?.items ?? []) : [];
  const chosen = new Set(value);
  const nameOf = (v: ChosenProjectView) => v.title ?? t('funding.projects.hidden');

  const add = (id: string, project: KnownProject) => {
    setKnown((k) => ({ ...k, [id]: project }));
    onChange(addProjectId(value, id));
    setAnnouncement(t('funding.projects.added', { title: project.title }));
  };
  const remove = (id: string, title: string) => {
    onChange(removeProjectId(value, id));
    setAnnouncement(t('funding.projects.removed', { title }));
  };

  return (
    <Fieldset legend={t('funding.projects.title')} hint={t('funding.projects.hint')} error={error} optional>
      {views.length ? (
        <ul className="dn-plain-list" ref={chosenRef} aria-label={t('funding.projects.chosen')} data-testid="linked-projects">
          {views.map((v, index) => (
            <li key={v.id} className="dn-actions">
              <span className="kern-body">
                {v.town ? `${nameOf(v)} (${v.town})` : nameOf(v)}
              </span>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--x-small"
                aria-label={t('action.forItem', { action: t('funding.projects.remove'), item: nameOf(v) })}
                onClick={() => {
                  focusAfterRemove.current = index;
                  remove(v.id, nameOf(v));
                }}
              >
                <span className="kern-icon kern-icon--close" aria-hidden="true" />
                <span className="kern-label">{t('funding.projects.remove')}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body kern-body--small">{t('funding.projects.none')}</p>
      )}
      <div ref={searchRef}>
        <TextField
          label={t('funding.projects.search')}
          hint={t('funding.projects.searchHint')}
          type="search"
          autoComplete="off"
          value={q}
          aria-controls={resultsId}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
          onKeyDown={(e) => {
            // Enter must not submit the application form; Escape empties the search.
            if (e.key === 'Enter') e.preventDefault();
            if (e.key === 'Escape' && q) {
              e.preventDefault();
              setQ('');
              setPage(1);
            }
          }}
        />
      </div>
      <div id={resultsId}>
        <p className="kern-body kern-body--small" aria-live="polite" data-testid="project-result-count">
          {active && search.isError ? t('state.error') : null}
          {active && search.isSuccess ? (results.length ? t('funding.projects.count', { count: search.data.total }) : t('funding.projects.noResults')) : null}
        </p>
        {results.length ? (
          <>
            <ul className="dn-plain-list" aria-label={t('funding.projects.results')} data-testid="project-results">
              {results.map((p) => {
                const isChosen = chosen.has(p.id);
                return (
                  <li key={p.id} className="dn-actions">
                    <span className="kern-body">
                      {p.title} ({p.municipality.name}){isChosen ? ` – ${t('funding.projects.isChosen')}` : ''}
                    </span>
                    <button
                      type="button"
                      className={`kern-btn kern-btn--x-small ${isChosen ? 'kern-btn--tertiary' : 'kern-btn--secondary'}`}
                      aria-label={t('action.forItem', { action: isChosen ? t('funding.projects.remove') : t('funding.projects.add'), item: p.title })}
                      onClick={() => (isChosen ? remove(p.id, p.title) : add(p.id, { title: p.title, town: p.municipality.name }))}
                    >
                      <span className="kern-label">{isChosen ? t('funding.projects.remove') : t('funding.projects.add')}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            {search.data && search.data.total > search.data.limit ? (
              <Pagination
                page={search.data.page}
                limit={search.data.limit}
                total={search.data.total}
                onPageChange={setPage}
                label={t('funding.projects.pages')}
              />
            ) : null}
          </>
        ) : null}
      </div>
      <p className="kern-sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
    </Fieldset>
  );
}
