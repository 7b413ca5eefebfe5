// The manual-entry grid's cells as the request's entries (empty cells are left out).
import { offlineChannels, type ManualEntry, type ManualRow, type OfflineChannel } from './types';

/** The month before the current one ("YYYY-MM"): the usual month to report. */
export function previousMonth(now: Date = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export type Values = Record<string, Partial<Record<OfflineChannel, string>>>;

export const cellId = (key: string, channel: OfflineChannel) => `manual-${key}-${channel}`;

/** The grid's non-empty cells as entries, and for each entry the input it came from. */
export function toEntries(rows: readonly Pick<ManualRow, 'leika_key'>[], values: Values): { entries: ManualEntry[]; cells: string[]; invalid: string[] } {
  const entries: ManualEntry[] = [];
  const cells: string[] = [];
  const invalid: string[] = [];
  for (const row of rows) {
    for (const channel of offlineChannels) {
      const raw = (values[row.leika_key]?.[channel] ?? '').trim();
      if (raw === '') continue;
      if (!/^\d+$/.test(raw)) {
        invalid.push(cellId(row.leika_key, channel));
        continue;
      }
      entries.push({ leika_key: row.leika_key, channel, count: Number(raw) });
      cells.push(cellId(row.leika_key, channel));
    }
  }
  return { entries, cells, invalid };
}

