// Project types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type ProjectStatus = Schemas['ProjectStatus'];
export type Visibility = Schemas['Visibility'];
export type PartnerRole = Schemas['PartnerRole'];
export type Topic = Schemas['Topic'];
export type ProjectSummary = Schemas['ProjectSummary'];
export type Project = Schemas['Project'];
export type ProjectInput = Schemas['ProjectInput'];
export type ProjectPatch = Schemas['ProjectInput'];
export type Mentionable = Schemas['Mentionable'];
export type SimilarProject = Schemas['SimilarItem'];
export type SimilarRequest = Schemas['SimilarRequest'];
export type Attachment = Schemas['Attachment'];

/**
 * One entry of `SimilarItem.reasons`. The OpenAPI document types the entries only as
 * `object` and describes them in words; this is that description, read via `readReason`.
 */
export type SimilarReason =
  | { kind: 'shared_ozg_service'; ozg_id: number }
  | { kind: 'shared_topic'; topic: string }
  | { kind: 'similar_words'; words: string[] };

export function readReason(raw: unknown): SimilarReason | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.kind === 'shared_ozg_service' && typeof r.ozg_id === 'number') return { kind: r.kind, ozg_id: r.ozg_id };
  if (r.kind === 'shared_topic' && typeof r.topic === 'string') return { kind: r.kind, topic: r.topic };
  if (r.kind === 'similar_words' && Array.isArray(r.words)) {
    return { kind: r.kind, words: r.words.filter((w): w is string => typeof w === 'string') };
  }
  return null;
}

export const statuses: ProjectStatus[] = ['idea', 'draft', 'planned', 'in_progress', 'live', 'paused', 'cancelled'];
export const visibilities: Visibility[] = ['private', 'district', 'network', 'public'];
