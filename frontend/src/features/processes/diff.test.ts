import { describe, expect, it } from 'vitest';
import { makeT } from '@/lib/i18n';
import { changeKey, countByChange, differenceText, MARKER, markersFor, stateKey } from './diff';
import { differenceStates, type Difference } from './types';

const t = makeT('de');

const d = (activity_id: string, change: Difference['change'], reference_name: string | null, local_name: string | null) => ({
  activity_id,
  change,
  reference_name,
  local_name,
});

const differences = [
  d('Task_Pruefen', 'renamed', 'Antrag prüfen', 'Antrag und Nachweise prüfen'),
  d('Task_Marke', 'removed', 'Hundesteuermarke ausgeben', null),
  d('Task_Lastschrift', 'added', null, 'SEPA-Mandat erfassen'),
];

describe('diagram markers', () => {
  it('marks added and renamed activities in the local model and removed ones in the reference', () => {
    expect(markersFor(differences, 'local')).toEqual([
      { elementId: 'Task_Pruefen', className: MARKER.renamed },
      { elementId: 'Task_Lastschrift', className: MARKER.added },
    ]);
    expect(markersFor(differences, 'reference')).toEqual([{ elementId: 'Task_Marke', className: MARKER.removed }]);
  });

  it('marks an activity once even if it is listed twice, and nothing without differences', () => {
    expect(markersFor([...differences, d('Task_Lastschrift', 'added', null, 'x')], 'local')).toHaveLength(2);
    expect(markersFor([], 'local')).toEqual([]);
    expect(new Set(Object.values(MARKER)).size).toBe(3);
  });
});

describe('difference labels', () => {
  it('names the change, the state and the activity in German', () => {
    expect(t(changeKey('added'))).toBe('Hinzugefügt');
    expect(t(changeKey('removed'))).toBe('Entfernt');
    expect(t(changeKey('renamed'))).toBe('Umbenannt');
    expect(differenceStates.map((s) => t(stateKey(s)))).toEqual(['übernommen', 'angepasst', 'eigener Prozess']);
    expect(differenceText(t, differences[0] as Difference)).toBe('„Antrag prüfen“ → „Antrag und Nachweise prüfen“');
    expect(differenceText(t, differences[1] as Difference)).toBe('„Hundesteuermarke ausgeben“');
    expect(differenceText(t, differences[2] as Difference)).toBe('„SEPA-Mandat erfassen“');
  });

  it('falls back to the activity id for an unnamed activity', () => {
    expect(differenceText(t, d('Task_9', 'added', null, '  '))).toBe('„Task_9“');
  });

  it('counts the differences by kind', () => {
    expect(countByChange(differences)).toEqual({ added: 1, removed: 1, renamed: 1 });
    expect(t('processes.compare.counts', countByChange(differences))).toBe('1 hinzugefügt, 1 umbenannt, 1 entfernt');
  });
});
