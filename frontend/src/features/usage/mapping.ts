// The column mapping of a CSV import as form state: prefilled from the server's suggestion,
// checked before sending, and turned back into the request's mapping.
import type { MessageKey } from '@/lib/i18n';
import { channels, type Channel, type Mapping } from './types';

export type MappingFormat = 'long' | 'wide';

/** Every value is a header of the file, or '' for "not in the file". */
export interface MappingForm {
  format: MappingFormat;
  leika_key: string;
  month: string;
  ozg_id: string;
  median_days: string;
  backlog: string;
  channel: string;
  count: string;
  channels: Record<Channel, string>;
}

const noChannels = (): Record<Channel, string> => ({ online: '', paper: '', counter: '', email: '', phone: '' });

/** A header of the file, or '' when the suggestion names a column the file does not have. */
function column(headers: readonly string[], value: string | null | undefined): string {
  return value && headers.includes(value) ? value : '';
}

/**
 * The form as the server suggests it. Wide format (one count column per channel) when the
 * suggestion maps channel columns and no channel/count pair; long format otherwise.
 */
export function prefillMapping(headers: readonly string[], suggested: Mapping | null | undefined): MappingForm {
  const s = suggested ?? { leika_key: '', month: '' };
  const wide = noChannels();
  for (const c of channels) wide[c] = column(headers, s.channels?.[c]);
  const channel = column(headers, s.channel);
  const count = column(headers, s.count);
  const hasWide = channels.some((c) => wide[c] !== '');
  return {
    format: hasWide && !(channel && count) ? 'wide' : 'long',
    leika_key: column(headers, s.leika_key),
    month: column(headers, s.month),
    ozg_id: column(headers, s.ozg_id),
    median_days: column(headers, s.median_days),
    backlog: column(headers, s.backlog),
    channel,
    count,
    channels: wide,
  };
}

/** The request's mapping: only the chosen format's columns, unset optional columns left out. */
export function toMapping(form: MappingForm): Mapping {
  const optional = (key: 'ozg_id' | 'median_days' | 'backlog') => (form[key] ? { [key]: form[key] } : {});
  const base: Mapping = { leika_key: form.leika_key, month: form.month, ...optional('ozg_id'), ...optional('median_days'), ...optional('backlog') };
  if (form.format === 'long') return { ...base, channel: form.channel, count: form.count };
  const wide: Partial<Record<Channel, string>> = {};
  for (const c of channels) if (form.channels[c]) wide[c] = form.channels[c];
  return { ...base, channels: wide };
}

/** Field name (as the server's `mapping.<key>`) → message key, for what the server would refuse anyway. */
export function mappingProblems(form: MappingForm): Partial<Record<string, MessageKey>> {
  const problems: Partial<Record<string, MessageKey>> = {};
  if (!form.leika_key) problems['mapping.leika_key'] = 'usage.mapping.required';
  if (!form.month) problems['mapping.month'] = 'usage.mapping.required';
  if (form.format === 'long') {
    if (!form.channel) problems['mapping.channel'] = 'usage.mapping.required';
    if (!form.count) problems['mapping.count'] = 'usage.mapping.required';
  } else if (!channels.some((c) => form.channels[c])) {
    problems['mapping.channels.online'] = 'usage.mapping.oneChannel';
  }
  // One column cannot be two things (e.g. the month and the count).
  const used: [string, string][] = [
    ['mapping.leika_key', form.leika_key],
    ['mapping.month', form.month],
    ['mapping.ozg_id', form.ozg_id],
    ['mapping.median_days', form.median_days],
    ['mapping.backlog', form.backlog],
    ...(form.format === 'long'
      ? ([
          ['mapping.channel', form.channel],
          ['mapping.count', form.count],
        ] as [string, string][])
      : channels.map((c): [string, string] => [`mapping.channels.${c}`, form.channels[c]])),
  ];
  const seen = new Set<string>();
  for (const [field, value] of used) {
    if (!value) continue;
    if (seen.has(value)) problems[field] ??= 'usage.mapping.twice';
    seen.add(value);
  }
  return problems;
}
