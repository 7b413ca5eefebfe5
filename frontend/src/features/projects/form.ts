// The editor's form values, their conversion to the API body, and the 412 merge.
import type { OzgChoice } from '@/components';
import { centsToEuroInput, parseEuroToCents } from '@/lib/money';
import type { Project, ProjectPatch, Visibility } from './types';

export interface ProjectFormValues {
  title: string;
  summary: string;
  description: string;
  visibility: Visibility;
  topics: string[];
  tags: string[];
  ozg: OzgChoice[];
  planned_start: string;
  planned_end: string;
  budget: string;
  contact_name: string;
  contact_email: string;
}

export type FormField = keyof ProjectFormValues;

export const SUMMARY_MAX = 500;

export const emptyForm: ProjectFormValues = {
  title: '',
  summary: '',
  description: '',
  visibility: 'district',
  topics: [],
  tags: [],
  ozg: [],
  planned_start: '',
  planned_end: '',
  budget: '',
  contact_name: '',
  contact_email: '',
};

export function formFromProject(p: Project): ProjectFormValues {
  return {
    title: p.title,
    summary: p.summary,
    description: p.description,
    visibility: p.visibility,
    topics: p.topics.map((t) => t.id),
    tags: [...p.tags],
    ozg: p.ozg_services.map((s) => ({ ozg_id: s.ozg_id, name: s.name })),
    planned_start: p.planned_start ?? '',
    planned_end: p.planned_end ?? '',
    budget: centsToEuroInput(p.budget_cents),
    contact_name: p.contact_name ?? '',
    contact_email: p.contact_email ?? '',
  };
}

/** Turns the values into the request body; `budget` errors are reported by the caller. */
export function formToBody(v: ProjectFormValues): ProjectPatch {
  const budget = parseEuroToCents(v.budget);
  return {
    title: v.title.trim(),
    summary: v.summary.trim(),
    description: v.description,
    visibility: v.visibility,
    topics: v.topics,
    tags: v.tags,
    ozg_ids: v.ozg.map((o) => o.ozg_id),
    planned_start: v.planned_start || null,
    planned_end: v.planned_end || null,
    budget_cents: budget === null || Number.isNaN(budget) ? null : budget,
    contact_name: v.contact_name.trim(),
    contact_email: v.contact_email.trim(),
  };
}

function comparable(field: FormField, value: ProjectFormValues[FormField]): string {
  if (field === 'ozg') return JSON.stringify((value as OzgChoice[]).map((o) => o.ozg_id).sort((a, b) => a - b));
  if (Array.isArray(value)) return JSON.stringify([...(value as string[])].sort());
  return JSON.stringify(value);
}

export function sameValue<F extends FormField>(field: F, a: ProjectFormValues[F], b: ProjectFormValues[F]): boolean {
  return comparable(field, a) === comparable(field, b);
}

/** The fields the user changed since loading `base`. */
export function changedFields(base: ProjectFormValues, mine: ProjectFormValues): FormField[] {
  return (Object.keys(mine) as FormField[]).filter((f) => !sameValue(f, base[f], mine[f]));
}

export interface MergeResult {
  values: ProjectFormValues;
  /** Fields both the user and someone else changed (the user's value was kept). */
  conflicts: FormField[];
}

/**
 * After a 412: start from the server's current version and put every field the user edited
 * back on top. The user's text is never lost; fields only the other person changed take the
 * server value.
 */
export function reapplyEdits(base: ProjectFormValues, mine: ProjectFormValues, server: ProjectFormValues): MergeResult {
  const values: ProjectFormValues = { ...server };
  const conflicts: FormField[] = [];
  for (const field of changedFields(base, mine)) {
    (values as unknown as Record<FormField, unknown>)[field] = mine[field];
    if (!sameValue(field, base[field], server[field]) && !sameValue(field, mine[field], server[field])) {
      conflicts.push(field);
    }
  }
  return { values, conflicts };
}
