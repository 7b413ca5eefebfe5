// The town a support request is opened for: officers ask for their own town; users without an own
// town (the district's coordinators, admins) choose one, preselected by `?kommune=<id>` (the link on
// a funding application's page carries its lead town).
import type { Me, Schemas } from '@/lib/api';

/** Search parameter carrying the town id, e.g. /unterstuetzung/neu?antrag=<id>&kommune=<id>. */
export const TOWN_PARAM = 'kommune';

type Town = Pick<Schemas['Municipality'], 'id' | 'name'>;

/** Whether the form asks for the town: only for users without an own town (the server defaults to it). */
export function choosesTown(me: Pick<Me, 'municipality'>): boolean {
  return !me.municipality;
}

/** The preselected town id from the URL ('' when there is none). */
export function townFromSearch(params: URLSearchParams): string {
  return params.get(TOWN_PARAM)?.trim() ?? '';
}

/** The select's options, by name (German collation). */
export function townOptions(items: readonly Town[], locale: string): { value: string; label: string }[] {
  return [...items]
    .sort((a, b) => a.name.localeCompare(b.name, locale) || a.id.localeCompare(b.id))
    .map((town) => ({ value: town.id, label: town.name }));
}

/**
 * The id to show and send: once the list is loaded, an id not among the choosable towns (a stale or
 * foreign link) falls back to "please choose" instead of being sent unseen; while it loads, it stays.
 */
export function chosenTown(id: string, items: readonly Pick<Town, 'id'>[] | undefined): string {
  if (!id || items === undefined) return id;
  return items.some((town) => town.id === id) ? id : '';
}
