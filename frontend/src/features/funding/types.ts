// Funding types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type Programme = Schemas['Programme'];
export type ProgrammeDetail = Schemas['ProgrammeDetail'];
export type ProgrammeInput = Schemas['ProgrammeInput'];
/** A programme's status (the schema types it as a plain string). */
export type ProgrammeStatus = 'upcoming' | 'open' | 'closed';
export type FundingCall = Schemas['FundingCall'];
export type NewCall = Schemas['NewCall'];
export type Application = Schemas['Application'];
export type ApplicationDetail = Schemas['ApplicationDetail'];
export type ApplicationInput = Schemas['ApplicationInput'];
export type ApplicationStatus = Schemas['ApplicationStatus'];
export type ChecklistItem = Schemas['ChecklistItem'];
export type ChecklistInput = Schemas['ChecklistInput'];
export type NewChecklistItem = Schemas['NewChecklistItem'];
export type ShareInput = Schemas['ShareInput'];
export type Overview = Schemas['Overview'];
export type Municipality = Schemas['Municipality'];
export type User = Schemas['User'];

/** The board's columns, in the order of the life cycle. */
export const applicationStatuses: ApplicationStatus[] = ['idea', 'preparing', 'submitted', 'approved', 'rejected', 'withdrawn'];
