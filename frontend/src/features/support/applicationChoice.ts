// The funding application a support request is about: preselected from `?antrag=<id>` (the link on
// an application's page), chosen from the district's applications the caller can see.
import type { Schemas } from '@/lib/api';

/** Search parameter carrying the application id, e.g. /unterstuetzung/neu?antrag=<id>. */
export const APPLICATION_PARAM = 'antrag';

type Choice = Pick<Schemas['Application'], 'id' | 'title' | 'programme_name'>;

/** The preselected application id from the URL ('' when there is none). */
export function applicationFromSearch(params: URLSearchParams): string {
  return params.get(APPLICATION_PARAM)?.trim() ?? '';
}

/** The select's options, by title: "title (programme)"; `format` builds the label through i18n. */
export function applicationOptions(
  items: readonly Choice[],
  format: (item: Choice) => string,
  locale: string,
): { value: string; label: string }[] {
  return [...items]
    .sort((a, b) => a.title.localeCompare(b.title, locale) || a.id.localeCompare(b.id))
    .map((item) => ({ value: item.id, label: format(item) }));
}

/**
 * The id to show and send: once the list is loaded, an id the caller cannot see (a stale or foreign
 * link) falls back to "none" instead of being sent unseen; while it loads, the preselection stays.
 */
export function chosenApplication(id: string, items: readonly Pick<Choice, 'id'>[] | undefined): string {
  if (!id || items === undefined) return id;
  return items.some((item) => item.id === id) ? id : '';
}
