// Differences between a local variant and its reference: labels, counts and the diagram markers.
import type { MessageKey, TFunction } from '@/lib/i18n';
import type { Change, Difference, DifferenceState } from './types';

/** CSS classes the viewer puts on changed activities (canvas.addMarker); styled in processes.css. */
export const MARKER: Record<Change, string> = {
  added: 'dn-bpmn-added',
  renamed: 'dn-bpmn-renamed',
  removed: 'dn-bpmn-removed',
};

export interface Marker {
  elementId: string;
  className: string;
}

/**
 * What to highlight in which diagram: added and renamed activities exist in the local model,
 * removed ones only in the reference.
 */
export function markersFor(differences: readonly Pick<Difference, 'activity_id' | 'change'>[], side: 'local' | 'reference'): Marker[] {
  const wanted: readonly Change[] = side === 'local' ? ['added', 'renamed'] : ['removed'];
  const seen = new Set<string>();
  const out: Marker[] = [];
  for (const d of differences) {
    if (!wanted.includes(d.change) || seen.has(d.activity_id)) continue;
    seen.add(d.activity_id);
    out.push({ elementId: d.activity_id, className: MARKER[d.change] });
  }
  return out;
}

export const changeKey = (change: Change): MessageKey => `processes.change.${change}`;
export const stateKey = (state: DifferenceState): MessageKey => `processes.state.${state}`;

/** "„Antrag prüfen“ → „Antrag und Nachweise prüfen“", or the one name that exists. */
export function differenceText(t: TFunction, d: Pick<Difference, 'change' | 'reference_name' | 'local_name' | 'activity_id'>): string {
  const quote = (name: string | null | undefined) => `„${name?.trim() || d.activity_id}“`;
  switch (d.change) {
    case 'added':
      return quote(d.local_name);
    case 'removed':
      return quote(d.reference_name);
    case 'renamed':
      return t('processes.diff.renamedFromTo', { from: quote(d.reference_name), to: quote(d.local_name) });
  }
}

/** How many differences of each kind, for the summary line. */
export function countByChange(differences: readonly Pick<Difference, 'change'>[]): Record<Change, number> {
  const counts: Record<Change, number> = { added: 0, removed: 0, renamed: 0 };
  for (const d of differences) counts[d.change] += 1;
  return counts;
}
