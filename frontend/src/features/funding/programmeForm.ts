// The programme editor's form values, percent text ↔ basis points, the PATCH body of the changed
// fields, and the 412 merge (the user's edits on top of the server's current version).
import { centsToEuroInput, parseEuroToCents } from '@/lib/money';
import type { Programme, ProgrammeInput, ProgrammeStatus } from './types';

/**
 * Parses a German percentage into basis points, exactly (string arithmetic, no float rounding):
 * "65" → 6500, "62,5" → 6250, "12,34 %" → 1234, "62.5" → 6250. Returns null for empty input and
 * NaN for anything else (more than two decimals, letters, more than 100 %).
 */
export function parsePercentToBp(input: string): number | null {
  const raw = input.replace(/[\s\u00a0\u202f%]/g, '');
  if (raw === '') return null;
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(raw);
  if (!match) return Number.NaN;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : Number.NaN;
}

/** Basis points as the editor shows them: 6500 → "65", 6250 → "62,5", 1234 → "12,34". */
export function bpToPercentInput(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '';
  const whole = Math.trunc(bp / 100);
  const rest = String(Math.abs(bp % 100)).padStart(2, '0').replace(/0+$/, '');
  return rest ? `${whole},${rest}` : String(whole);
}

export interface ProgrammeFormValues {
  name: string;
  funder: string;
  administering_body: string;
  level: string;
  region: string;
  eligible_applicants: string;
  funding_type: string;
  rate: string;
  increased_rate: string;
  increased_rate_condition: string;
  min_amount: string;
  max_amount: string;
  max_amount_note: string;
  description: string;
  website: string;
  status: string;
  /** Topic ids (GET /topics); the order does not matter. */
  topics: string[];
}

export type ProgrammeFormField = keyof ProgrammeFormValues;
/** Every field but the topics is edited as text. */
export type ProgrammeTextField = Exclude<ProgrammeFormField, 'topics'>;

export const programmeStatuses: ProgrammeStatus[] = ['upcoming', 'open', 'closed'];

export function formFromProgramme(p: Programme): ProgrammeFormValues {
  return {
    name: p.name,
    funder: p.funder,
    administering_body: p.administering_body,
    level: p.level,
    region: p.region,
    eligible_applicants: p.eligible_applicants,
    funding_type: p.funding_type,
    rate: bpToPercentInput(p.rate_bp),
    increased_rate: bpToPercentInput(p.increased_rate_bp),
    increased_rate_condition: p.increased_rate_condition,
    min_amount: centsToEuroInput(p.min_amount_cents),
    max_amount: centsToEuroInput(p.max_amount_cents),
    max_amount_note: p.max_amount_note,
    description: p.description,
    website: p.website ?? '',
    status: p.status,
    topics: [...p.topics],
  };
}

/** The server's name of a form field (errors come back under these names). */
export const serverField: Record<ProgrammeFormField, keyof ProgrammeInput> = {
  name: 'name',
  funder: 'funder',
  administering_body: 'administering_body',
  level: 'level',
  region: 'region',
  eligible_applicants: 'eligible_applicants',
  funding_type: 'funding_type',
  rate: 'rate_bp',
  increased_rate: 'increased_rate_bp',
  increased_rate_condition: 'increased_rate_condition',
  min_amount: 'min_amount_cents',
  max_amount: 'max_amount_cents',
  max_amount_note: 'max_amount_note',
  description: 'description',
  website: 'website',
  status: 'status',
  topics: 'topics',
};

const rateFields = ['rate', 'increased_rate'] as const;
const amountFields = ['min_amount', 'max_amount'] as const;
type NumberField = (typeof rateFields)[number] | (typeof amountFields)[number];
const isNumberField = (f: ProgrammeTextField): f is NumberField =>
  (rateFields as readonly string[]).includes(f) || (amountFields as readonly string[]).includes(f);

/** The value a field stands for, so "65" and "65,00" or "1.000" and "1000,00" count as the same. */
function normalised(field: ProgrammeTextField, text: string): string | number | null {
  if ((rateFields as readonly string[]).includes(field)) return parsePercentToBp(text);
  if ((amountFields as readonly string[]).includes(field)) return parseEuroToCents(text);
  return field === 'status' ? text : text.trim();
}

function sameText(field: ProgrammeTextField, a: string, b: string): boolean {
  return Object.is(normalised(field, a), normalised(field, b)) || a === b;
}

/** The same topics, in any order. */
function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}

function same(field: ProgrammeFormField, a: ProgrammeFormValues, b: ProgrammeFormValues): boolean {
  return field === 'topics' ? sameTopics(a.topics, b.topics) : sameText(field, a[field], b[field]);
}

/** The fields the user changed since loading `base`. */
export function changedFields(base: ProgrammeFormValues, mine: ProgrammeFormValues): ProgrammeFormField[] {
  return (Object.keys(mine) as ProgrammeFormField[]).filter((f) => !same(f, base, mine));
}

/** Why a field cannot be sent; the caller turns the code into a translated message. */
export type FieldProblem = 'required' | 'nameShort' | 'rateInvalid' | 'amountInvalid' | 'cannotClear' | 'websiteInvalid';

export interface BodyResult {
  body: ProgrammeInput;
  problems: Partial<Record<ProgrammeFormField, FieldProblem>>;
}

/**
 * The PATCH body: only the changed fields, each complete and converted (percent → basis points,
 * euros → cents). The server keeps a field it is not sent, and cannot remove a rate, an amount
 * or the website (null means "unchanged"), so emptying one of those is a problem, not a change.
 */
export function changedBody(base: ProgrammeFormValues, mine: ProgrammeFormValues): BodyResult {
  const body: ProgrammeInput = {};
  const put = body as Record<string, string | number>;
  const problems: BodyResult['problems'] = {};
  for (const field of changedFields(base, mine)) {
    if (field === 'topics') {
      body.topics = [...new Set(mine.topics)];
      continue;
    }
    const text = mine[field];
    if (isNumberField(field)) {
      const value = normalised(field, text) as number | null;
      if (value === null) problems[field] = 'cannotClear';
      else if (Number.isNaN(value)) problems[field] = (rateFields as readonly string[]).includes(field) ? 'rateInvalid' : 'amountInvalid';
      else put[serverField[field]] = value;
      continue;
    }
    const trimmed = field === 'status' ? text : text.trim();
    if (field === 'name' && trimmed.length < 3) problems.name = trimmed ? 'nameShort' : 'required';
    else if (field === 'website' && !trimmed) problems.website = 'cannotClear';
    else if (field === 'website' && !/^https?:\/\/\S+$/.test(trimmed)) problems.website = 'websiteInvalid';
    else put[serverField[field]] = trimmed;
  }
  return { body, problems };
}

export interface MergeResult {
  values: ProgrammeFormValues;
  /** Fields both the user and someone else changed (the user's value was kept). */
  conflicts: ProgrammeFormField[];
}

/** After a 412: the server's current version with every field the user edited put back on top. */
export function reapplyEdits(base: ProgrammeFormValues, mine: ProgrammeFormValues, server: ProgrammeFormValues): MergeResult {
  const values: ProgrammeFormValues = { ...server };
  const conflicts: ProgrammeFormField[] = [];
  for (const field of changedFields(base, mine)) {
    if (field === 'topics') values.topics = [...mine.topics];
    else values[field] = mine[field];
    if (!same(field, base, server) && !same(field, mine, server)) conflicts.push(field);
  }
  return { values, conflicts };
}
