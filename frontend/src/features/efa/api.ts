// Every call of the EfA feature, typed by the generated OpenAPI schema.
import type { paths } from '@/lib/api/schema';
import { api, call, ifMatch } from '@/lib/api';
import type { AdoptionStatus, SolutionInput } from './types';

export type SolutionQuery = NonNullable<paths['/api/v1/efa/solutions']['get']['parameters']['query']>;
export type MatrixQuery = NonNullable<paths['/api/v1/efa/matrix']['get']['parameters']['query']>;
export type CoverageQuery = NonNullable<paths['/api/v1/efa/coverage']['get']['parameters']['query']>;

const id = (solutionId: string) => ({ path: { id: solutionId } });

export const efaApi = {
  list: (query: SolutionQuery) => call(() => api.GET('/api/v1/efa/solutions', { params: { query } })),
  get: (solutionId: string) => call(() => api.GET('/api/v1/efa/solutions/{id}', { params: id(solutionId) })),
  create: (body: SolutionInput) => call(() => api.POST('/api/v1/efa/solutions', { body })),
  update: (solutionId: string, version: number, body: SolutionInput) =>
    call(() =>
      api.PATCH('/api/v1/efa/solutions/{id}', {
        params: { ...id(solutionId), header: { 'If-Match': ifMatch(version) } },
        body,
      }),
    ),
  publish: (solutionId: string) => call(() => api.POST('/api/v1/efa/solutions/{id}/publish', { params: id(solutionId) })),
  adopt: (solutionId: string) =>
    call(() => api.POST('/api/v1/efa/solutions/{id}/adoptions', { params: id(solutionId), body: {} })),
  changeAdoptionStatus: (adoptionId: string, version: number, status: AdoptionStatus, reason: string) =>
    call(() =>
      api.POST('/api/v1/adoptions/{id}/status', {
        params: { path: { id: adoptionId }, header: { 'If-Match': ifMatch(version) } },
        body: { status, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    ),
  adoptionHistory: (adoptionId: string) =>
    call(() => api.GET('/api/v1/adoptions/{id}/history', { params: { path: { id: adoptionId } } })),
  report: (solutionId: string, body: string, rating: number) =>
    call(() => api.POST('/api/v1/efa/solutions/{id}/reports', { params: id(solutionId), body: { body, rating } })),
  matrix: (query: MatrixQuery) => call(() => api.GET('/api/v1/efa/matrix', { params: { query } })),
  matrixCsv: (query: MatrixQuery) =>
    call(() => api.GET('/api/v1/efa/matrix.csv', { params: { query }, parseAs: 'blob' })),
  matrixXlsx: (query: MatrixQuery) =>
    call(() => api.GET('/api/v1/efa/matrix.xlsx', { params: { query }, parseAs: 'blob' })),
  coverage: (query: CoverageQuery) => call(() => api.GET('/api/v1/efa/coverage', { params: { query } })),
  themenfelder: () => call(() => api.GET('/api/v1/ozg/themenfelder')),
  towns: () => call(() => api.GET('/api/v1/municipalities', { params: { query: { limit: 100 } } })),
};
