// The process form's values, their conversion to the API body and the checks before sending.
import type { TFunction } from '@/lib/i18n';
import type { Process, ProcessInput, Visibility } from './types';

export interface ProcessValues {
  name: string;
  leika_key: string;
  ozg_id: string;
  themenfeld_id: string;
  owner_municipality_id: string;
  legal_basis: string;
  forms: string;
  it_systems: string;
  efa_solution_id: string;
  visibility: Visibility;
  knowledge: string;
}

export const FIELD_ORDER = [
  'name',
  'leika_key',
  'ozg_id',
  'themenfeld_id',
  'owner_municipality_id',
  'legal_basis',
  'forms',
  'it_systems',
  'efa_solution_id',
  'visibility',
  'knowledge',
] as const;

export function fromProcess(p: Process | null, ownTown: string | null): ProcessValues {
  return {
    name: p?.name ?? '',
    leika_key: p?.leika_key ?? '',
    ozg_id: p?.ozg_id != null ? String(p.ozg_id) : '',
    themenfeld_id: p?.themenfeld_id != null ? String(p.themenfeld_id) : '',
    owner_municipality_id: p ? (p.owner?.id ?? '') : (ownTown ?? ''),
    legal_basis: p?.legal_basis ?? '',
    forms: p?.forms ?? '',
    it_systems: p?.it_systems ?? '',
    efa_solution_id: p?.efa_solution_id ?? '',
    visibility: p?.visibility ?? 'district',
    knowledge: p?.knowledge ?? '',
  };
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

/** "SAP, Lämmkom ,, OK.FIS" → "SAP, Lämmkom, OK.FIS" (the API keeps it as one comma separated text). */
export function normaliseList(text: string): string {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(', ');
}

/** The body of a create; an edit leaves out the owner (it is set once, on create). */
export function toBody(v: ProcessValues, forUpdate = false): ProcessInput {
  const body: ProcessInput = {
    name: v.name.trim(),
    leika_key: orNull(v.leika_key.replace(/\s/g, '')),
    ozg_id: v.ozg_id.trim() ? Number(v.ozg_id.trim()) : null,
    themenfeld_id: v.themenfeld_id ? Number(v.themenfeld_id) : null,
    owner_municipality_id: orNull(v.owner_municipality_id),
    legal_basis: v.legal_basis.trim(),
    forms: v.forms.trim(),
    it_systems: normaliseList(v.it_systems),
    efa_solution_id: orNull(v.efa_solution_id),
    visibility: v.visibility,
    knowledge: v.knowledge,
  };
  if (forUpdate) delete body.owner_municipality_id;
  return body;
}

/** What can be said before sending; the server checks the rest (e.g. whether the LeiKa key exists). */
export function checkValues(t: TFunction, v: ProcessValues): Partial<Record<keyof ProcessValues, string>> {
  const errors: Partial<Record<keyof ProcessValues, string>> = {};
  if (!v.name.trim()) errors.name = t('validation.required');
  if (v.leika_key.trim() && !/^\d{14}$/.test(v.leika_key.replace(/\s/g, ''))) errors.leika_key = t('processes.form.leikaInvalid');
  if (v.ozg_id.trim() && !/^\d{1,9}$/.test(v.ozg_id.trim())) errors.ozg_id = t('processes.form.ozgInvalid');
  return errors;
}
