// Process register types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type Visibility = Schemas['Visibility'];
export type ModelKind = Schemas['ModelKind'];
export type Change = Schemas['ChangeKind'];
export type DifferenceState = Schemas['DifferenceState'];
export type Criticality = Schemas['Criticality'];
export type FallbackKind = Schemas['FallbackKind'];
export type TownRef = Schemas['TownRef'];
export type ProcessSummary = Schemas['ProcessSummary'];
export type Process = Schemas['Process'];
export type ProcessInput = Schemas['ProcessInput'];
export type ProcessOffice = Schemas['ProcessOffice'];
export type Activity = Schemas['ProcessActivity'];
export type ProcessModel = Schemas['ProcessModel'];
export type Difference = Schemas['ProcessDifference'];
export type Comparison = Schemas['ProcessComparison'];
export type Deviation = Schemas['ProcessDeviation'];
export type ImportInput = Schemas['ProcessImportInput'];
export type ImportResult = Schemas['ProcessImportResult'];
export type OnlineShareSource = Schemas['OnlineShareSource'];
export type Profile = Schemas['ProcessProfile'];
export type ProfileList = Schemas['ProcessProfileList'];
export type ProfileInput = Schemas['ProfileInput'];
export type Candidate = Schemas['Candidate'];
export type CandidateRanking = Schemas['CandidateRanking'];
export type RankingWeights = Schemas['RankingWeights'];
export type ContinuitySheet = Schemas['ContinuitySheet'];
export type ContinuityInput = Schemas['ContinuityInput'];
export type Exercise = Schemas['ContinuityExercise'];
export type ExerciseList = Schemas['ContinuityExerciseList'];

export const visibilities: Visibility[] = ['private', 'district', 'network', 'public'];
export const differenceStates: DifferenceState[] = ['adopted', 'adapted', 'own_process'];
export const criticalities: Criticality[] = ['A', 'B', 'C'];
export const fallbackKinds: FallbackKind[] = ['paper', 'manual', 'partner'];
