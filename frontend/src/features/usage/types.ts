// Nutzungsmonitor types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type Channel = Schemas['Channel'];
export type OfflineChannel = Exclude<Channel, 'online'>;
export type UsageVisibility = Schemas['Sharing'];
export type Mapping = Schemas['Mapping'];
export type Preview = Schemas['Preview'];
export type UsageImport = Schemas['ImportOut'];
export type ImportInput = Schemas['ImportIn'];
export type SeriesPoint = Schemas['SeriesPoint'];
export type ServiceSeries = Schemas['ServiceSeries'];
export type TownSeries = Schemas['TownSeries'];
export type HeatmapCell = Schemas['HeatCell'];
export type Heatmap = Schemas['HeatMap'];
export type Totals = Schemas['DistrictTotals'];
export type PotentialItem = Schemas['PotentialItem'];
export type AnomalyItem = Schemas['Anomaly'];
export type ManualRow = Schemas['ManualRow'];
export type ManualGrid = Schemas['ManualGrid'];
export type ManualEntry = Schemas['ManualEntryIn'];
export type LeikaService = Schemas['LeikaOut'];
export type UsageToken = Schemas['TokenOut'];
export type CreatedToken = Schemas['TokenCreated'];
export type MaturityModel = Schemas['MaturityModel'];
export type Assessment = Schemas['Assessment'];
export type AssessmentInput = Schemas['AssessmentIn'];
export type MaturityMatrix = Schemas['MaturityMatrix'];

export const channels: Channel[] = ['online', 'paper', 'counter', 'email', 'phone'];
export const offlineChannels: OfflineChannel[] = ['paper', 'counter', 'email', 'phone'];
