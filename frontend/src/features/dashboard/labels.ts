// Labels and colours for the dashboard's status keys (they arrive as plain strings).
import type { MessageKey, TFunction } from '@/lib/i18n';

export const projectStatusKeys = ['idea', 'draft', 'planned', 'in_progress', 'live', 'paused', 'cancelled'] as const;
export const adoptionStatusKeys = ['interested', 'evaluating', 'contracting', 'rolling_out', 'live', 'declined'] as const;

/** Colours that stay apart for common colour-vision deficiencies (Okabe–Ito); the text carries the meaning. */
export const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#999999'];

const known = new Set<string>([
  'project.created', 'project.updated', 'project.status_changed', 'update.created', 'comment.created',
  'partner.requested', 'partner.added', 'adoption.created', 'adoption.status_changed', 'support.opened',
  'support.assigned', 'support.replied', 'support.resolved', 'support.declined', 'support.status_changed',
]);

export function verbLabel(t: TFunction, verb: string): string {
  return known.has(verb) ? t(`dashboard.verb.${verb}` as MessageKey) : t('dashboard.verb.other');
}

export function projectStatusLabel(t: TFunction, status: string): string {
  return (projectStatusKeys as readonly string[]).includes(status) ? t(`projects.status.${status}` as MessageKey) : status;
}

export function adoptionStatusLabel(t: TFunction, status: string): string {
  return (adoptionStatusKeys as readonly string[]).includes(status) ? t(`efa.adoption.${status}` as MessageKey) : status;
}

export function supportStatusLabel(t: TFunction, status: string): string {
  const keys = ['open', 'assigned', 'in_progress', 'waiting', 'resolved', 'declined'];
  return keys.includes(status) ? t(`support.status.${status}` as MessageKey) : status;
}

export function measureStatusLabel(t: TFunction, status: string): string {
  const keys = ['planned', 'in_progress', 'done', 'dropped'];
  return keys.includes(status) ? t(`strategy.measureStatus.${status}` as MessageKey) : status;
}

/** Known keys first (in their order), then any others. */
export function orderedEntries(counts: Record<string, number>, order: readonly string[]): [string, number][] {
  const rest = Object.keys(counts).filter((k) => !order.includes(k));
  return [...order.filter((k) => k in counts), ...rest].map((k) => [k, counts[k] ?? 0]);
}
