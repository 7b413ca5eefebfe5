// Support desk types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type SupportRequest = Schemas['SupportRequest'];
export type SupportRequestDetail = Schemas['SupportRequestDetail'];
export type SupportMessage = Schemas['SupportMessage'];
export type SupportStatus = Schemas['SupportStatus'];
export type Category = Schemas['Category'];
export type Urgency = Schemas['Urgency'];
export type NewRequest = Schemas['NewRequest'];
export type Workload = Schemas['Workload'];

export const supportStatuses: SupportStatus[] = ['open', 'assigned', 'in_progress', 'waiting', 'resolved', 'declined'];
export const categories: Category[] = [
  'funding_application',
  'concept_strategy',
  'procurement',
  'efa_connection',
  'it_security',
  'data_protection',
  'other',
];
export const urgencies: Urgency[] = ['low', 'normal', 'high'];
