// EfA types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type AdoptionStatus = Schemas['AdoptionStatus'];
export type Adoption = Schemas['Adoption'];
export type SolutionStatus = Schemas['SolutionStatus'];
export type ReuseModel = Schemas['ReuseModel'];
export type EfaSolution = Schemas['EfaSolution'];
export type SolutionDetail = Schemas['SolutionDetail'];
export type SolutionInput = Schemas['SolutionInput'];
export type ExperienceReport = Schemas['ExperienceReport'];
export type AdoptionMatrix = Schemas['AdoptionMatrix'];
export type MatrixCell = Schemas['MatrixCell'];
export type Coverage = Schemas['Coverage'];
export type OzgRef = Schemas['OzgRef'];

export const adoptionStatuses: AdoptionStatus[] = ['interested', 'evaluating', 'contracting', 'rolling_out', 'live', 'declined'];
export const solutionStatuses: SolutionStatus[] = ['in_development', 'pilot', 'available'];
export const reuseModels: ReuseModel[] = ['fit_store', 'open_source', 'state_licence', 'state_service', 'other'];

/** The states (and the federation) that lead EfA services. */
export const leadStates = [
  'Baden-Württemberg', 'Bayern', 'Berlin', 'Brandenburg', 'Bremen', 'Hamburg', 'Hessen', 'Mecklenburg-Vorpommern',
  'Niedersachsen', 'Nordrhein-Westfalen', 'Rheinland-Pfalz', 'Saarland', 'Sachsen', 'Sachsen-Anhalt',
  'Schleswig-Holstein', 'Thüringen', 'Bund',
];
