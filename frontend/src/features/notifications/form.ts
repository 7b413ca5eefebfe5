// The settings form: values ↔ API body, and re-applying the user's choices onto a fresh server copy.
import type { DeliveryMode, DigestFrequency, NotificationKind, NotificationSettings } from './api';
import { kinds } from './labels';

export interface SettingsFormValues {
  kinds: Record<NotificationKind, DeliveryMode>;
  enabled: boolean;
  frequency: DigestFrequency;
  weekday: number;
  hour: number;
  /** Topic ids for "new in the network"; empty means all topics. */
  topics: string[];
}

export type SettingsField = NotificationKind | 'enabled' | 'frequency' | 'weekday' | 'hour' | 'topics';

const DEFAULT_MODE: DeliveryMode = 'digest';

function isMode(value: unknown): value is DeliveryMode {
  return value === 'immediate' || value === 'digest' || value === 'off';
}

export function formFromSettings(settings: NotificationSettings): SettingsFormValues {
  const modes = {} as Record<NotificationKind, DeliveryMode>;
  for (const kind of kinds) {
    const mode = settings.kinds[kind];
    modes[kind] = isMode(mode) ? mode : DEFAULT_MODE;
  }
  const { digest } = settings;
  return {
    kinds: modes,
    enabled: digest.enabled,
    frequency: digest.frequency,
    weekday: digest.weekday >= 1 && digest.weekday <= 7 ? digest.weekday : 1,
    hour: digest.hour >= 0 && digest.hour <= 23 ? digest.hour : 18,
    topics: [...new Set(settings.topics ?? [])],
  };
}

/** The PUT body; `version` is sent back unchanged (If-Match carries it too). */
export function formToBody(values: SettingsFormValues, version: number): NotificationSettings {
  return {
    kinds: Object.fromEntries(kinds.map((k) => [k, values.kinds[k]])),
    digest: {
      enabled: values.enabled,
      frequency: values.frequency,
      weekday: values.weekday,
      hour: values.hour,
    },
    topics: [...new Set(values.topics)],
    version,
  };
}

function read(values: SettingsFormValues, field: SettingsField): string | number | boolean {
  // Topics compare as a set: the same choice in another order is no change.
  if (field === 'topics') return [...values.topics].sort().join('\n');
  if (field === 'enabled' || field === 'frequency' || field === 'weekday' || field === 'hour') return values[field];
  return values.kinds[field];
}

function write(values: SettingsFormValues, field: SettingsField, from: SettingsFormValues): SettingsFormValues {
  if (field === 'topics') return { ...values, topics: [...from.topics] };
  if (field === 'enabled' || field === 'frequency' || field === 'weekday' || field === 'hour') {
    return { ...values, [field]: from[field] };
  }
  return { ...values, kinds: { ...values.kinds, [field]: from.kinds[field] } };
}

export const settingsFields: SettingsField[] = [...kinds, 'enabled', 'frequency', 'weekday', 'hour', 'topics'];

/**
 * After a 412: start from the server's copy and put back every choice the user changed
 * (relative to what they had loaded). Returns the fields the server had changed too.
 */
export function reapplyChoices(
  base: SettingsFormValues,
  mine: SettingsFormValues,
  server: SettingsFormValues,
): { values: SettingsFormValues; conflicts: SettingsField[] } {
  let values = server;
  const conflicts: SettingsField[] = [];
  for (const field of settingsFields) {
    const changedByMe = read(mine, field) !== read(base, field);
    if (!changedByMe) continue;
    if (read(server, field) !== read(base, field) && read(server, field) !== read(mine, field)) conflicts.push(field);
    values = write(values, field, mine);
  }
  return { values, conflicts };
}

/** Server field names ("digest.hour", "kinds.mentions", "topics[1]") → form fields. */
export function formFieldOf(serverField: string): SettingsField | null {
  const name = serverField.replace(/^digest\./, '').replace(/^kinds\./, '').replace(/^topics(\[\d+\]|\.\d+)$/, 'topics');
  return (settingsFields as string[]).includes(name) ? (name as SettingsField) : null;
}
