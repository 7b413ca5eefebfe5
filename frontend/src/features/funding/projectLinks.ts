// Pure helpers of an application's linked projects: the chosen ids (ordered, no duplicates),
// what goes into the request body, and how each linked project is shown.

/** Appends `id` unless it is chosen already (the order of choosing is kept). */
export function addProjectId(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? [...ids] : [...ids, id];
}

export function removeProjectId(ids: readonly string[], id: string): string[] {
  return ids.filter((x) => x !== id);
}

/** The ids without duplicates, first occurrence wins (the server may repeat none, but be safe). */
export function uniqueProjectIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** The same projects, in any order. */
export function sameProjectIds(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}

/**
 * The `project_ids` part of the request body. When editing and nothing changed it is left out.
 * `saved` are the links the editor can see; on PATCH the server replaces only those and keeps
 * links to projects the editor cannot see.
 */
export function projectIdsBody(saved: readonly string[] | undefined, chosen: readonly string[]): { project_ids?: string[] } {
  if (saved && sameProjectIds(saved, chosen)) return {};
  return { project_ids: uniqueProjectIds(chosen) };
}

/** What the page knows about a chosen project: its title, and its town when picked from the search. */
export interface KnownProject {
  title: string;
  town?: string;
}

/** One chosen project as the picker shows it; `title` is missing only for an id nobody told us about. */
export interface ChosenProjectView {
  id: string;
  title?: string;
  town?: string;
}

/**
 * The application's linked projects (`projects`: only those the viewer may see) as the picker's
 * starting knowledge, keyed by id.
 */
export function knownFromLinked(linked: readonly { id: string; title: string }[] | undefined): Record<string, KnownProject> {
  return Object.fromEntries((linked ?? []).map((p) => [p.id, { title: p.title }]));
}

/** What to show for each chosen id, in the order of choosing. */
export function chosenProjectViews(ids: readonly string[], known: Readonly<Record<string, KnownProject>>): ChosenProjectView[] {
  return ids.map((id) => {
    const k = known[id];
    return k ? { id, title: k.title, ...(k.town ? { town: k.town } : {}) } : { id };
  });
}

/** The first server message about the linked projects (`project_ids` or `project_ids[2]`). */
export function projectIdsError(errors: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = Object.keys(errors).find((k) => (k === 'project_ids' || k.startsWith('project_ids[') || k.startsWith('project_ids.')) && errors[k]);
  return key ? errors[key] : undefined;
}
