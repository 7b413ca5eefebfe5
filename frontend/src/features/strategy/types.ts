// Strategy types: aliases of the generated OpenAPI schema (src/lib/api/schema.d.ts).
import type { Schemas } from '@/lib/api';

export type Strategy = Schemas['Strategy'];
export type GoalField = Schemas['GoalField'];
export type Measure = Schemas['Measure'];
export type MeasureStatus = Schemas['MeasureStatus'];
export type MeasureInput = Schemas['MeasureInput'];
/** A new measure: like MeasureInput, but the title is required. */
export type NewMeasure = Schemas['NewMeasure'];
export type GoalFieldInput = Schemas['GoalFieldInput'];
export type NewGoalField = Schemas['NewGoalField'];
export type Progress = Schemas['Progress'];
export type LinkedProject = Schemas['LinkedProject'];

/** Whose strategy: the district's or a town's (the path segment of GET /strategies/{kind}/{id}). */
export type StrategyKind = 'district' | 'municipality';
