// Every call of the strategy feature, typed by the generated OpenAPI schema.
import { api, call, ifMatch } from '@/lib/api';
import type { GoalFieldInput, MeasureInput, MeasureStatus, NewGoalField, NewMeasure, StrategyKind } from './types';

const id = (x: string) => ({ path: { id: x } });
const versioned = (x: string, version: number) => ({ path: { id: x }, header: { 'If-Match': ifMatch(version) } });

export const strategyApi = {
  get: (kind: StrategyKind, ownerId: string) =>
    call(() => api.GET('/api/v1/strategies/{kind}/{id}', { params: { path: { kind, id: ownerId } } })),
  addGoalField: (kind: StrategyKind, ownerId: string, body: NewGoalField) =>
    call(() => api.POST('/api/v1/strategies/{kind}/{id}/goal-fields', { params: { path: { kind, id: ownerId } }, body })),
  updateGoalField: (goalFieldId: string, version: number, body: GoalFieldInput) =>
    call(() => api.PATCH('/api/v1/goal-fields/{id}', { params: versioned(goalFieldId, version), body })),
  deleteGoalField: (goalFieldId: string) => call(() => api.DELETE('/api/v1/goal-fields/{id}', { params: id(goalFieldId) })),
  addMeasure: (goalFieldId: string, body: NewMeasure) =>
    call(() => api.POST('/api/v1/goal-fields/{id}/measures', { params: id(goalFieldId), body })),
  updateMeasure: (measureId: string, version: number, body: MeasureInput) =>
    call(() => api.PATCH('/api/v1/measures/{id}', { params: versioned(measureId, version), body })),
  changeMeasureStatus: (measureId: string, version: number, status: MeasureStatus) =>
    call(() => api.POST('/api/v1/measures/{id}/status', { params: versioned(measureId, version), body: { status } })),
  deleteMeasure: (measureId: string) => call(() => api.DELETE('/api/v1/measures/{id}', { params: id(measureId) })),
  users: (districtId: string | undefined) =>
    call(() =>
      api.GET('/api/v1/users', {
        params: { query: { ...(districtId ? { district_id: districtId } : {}), active: true, limit: 100 } },
      }),
    ),
  projects: (q: string) => call(() => api.GET('/api/v1/projects', { params: { query: { q, limit: 10, sort: 'relevance' } } })),
  towns: () => call(() => api.GET('/api/v1/municipalities', { params: { query: { limit: 100 } } })),
};
