// A request opened on behalf of a town (coordinators, admins) refers only to that town's project and
// funding applications: the selects offer those alone (the server filters the lists), and a choice
// that no longer fits is dropped when the town changes.
import type { Schemas } from '@/lib/api';

interface TownLinks {
  id: string;
  lead_municipality_id: Schemas['Application']['lead_municipality_id'];
  shares: readonly Pick<Schemas['Share'], 'municipality_id'>[];
}

/** Whether an application concerns the town: as its lead or as a partner with a cost share. */
export function concernsTown(application: Omit<TownLinks, 'id'>, townId: string): boolean {
  if (!townId) return false;
  return application.lead_municipality_id === townId || application.shares.some((share) => share.municipality_id === townId);
}

interface References {
  municipality_id: string;
  project_id: string;
  application_id: string;
}

/**
 * The form's values after the town changed: a project belongs to exactly one town, so it is dropped;
 * the application stays only if it concerns the new town (while the list loads, it stays and the
 * select's own check takes over).
 */
export function changeTown<V extends References>(values: V, townId: string, applications: readonly TownLinks[] | undefined): V {
  if (townId === values.municipality_id) return values;
  const id = values.application_id;
  const application = applications?.find((a) => a.id === id);
  const keep = id !== '' && (applications === undefined || (application !== undefined && concernsTown(application, townId)));
  return { ...values, municipality_id: townId, project_id: '', application_id: keep ? id : '' };
}
