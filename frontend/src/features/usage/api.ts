// Every call of the Nutzungsmonitor, typed by the generated OpenAPI schema.
import type { paths } from '@/lib/api/schema';
import { api, call } from '@/lib/api';
import type { AssessmentInput, ImportInput, ManualEntry, UsageVisibility } from './types';

export interface Period {
  from?: string;
  to?: string;
}

type PeriodQuery = NonNullable<paths['/api/v1/usage/districts/{id}/heatmap']['get']['parameters']['query']>;

const period = (p: Period): PeriodQuery => ({ ...(p.from ? { from: p.from } : {}), ...(p.to ? { to: p.to } : {}) });
const id = (value: string) => ({ id: value });

export type DistrictCsv = 'heatmap' | 'totals' | 'potential' | 'anomalies';

export const usageApi = {
  preview: (csv: string) => call(() => api.POST('/api/v1/usage/import/preview', { body: { csv } })),
  import: (body: ImportInput) => call(() => api.POST('/api/v1/usage/imports', { body })),
  imports: (municipalityId: string) =>
    call(() => api.GET('/api/v1/usage/imports', { params: { query: { municipality_id: municipalityId, limit: 10 } } })),
  manualGrid: (municipalityId: string, month: string) =>
    call(() => api.GET('/api/v1/usage/manual', { params: { query: { municipality_id: municipalityId, month } } })),
  saveManual: (body: { municipality_id: string; month: string; entries: ManualEntry[] }) => call(() => api.POST('/api/v1/usage/manual', { body })),
  services: (q: string) => call(() => api.GET('/api/v1/usage/services', { params: { query: { q, limit: 10 } } })),
  tokens: (municipalityId: string) => call(() => api.GET('/api/v1/usage/tokens', { params: { query: { municipality_id: municipalityId } } })),
  createToken: (municipalityId: string, name: string) =>
    call(() => api.POST('/api/v1/usage/tokens', { body: { municipality_id: municipalityId, name } })),
  revokeToken: (tokenId: string) => call(() => api.DELETE('/api/v1/usage/tokens/{id}', { params: { path: id(tokenId) } })),
  setSharing: (municipalityId: string, leikaKey: string, visibility: UsageVisibility) =>
    call(() => api.PUT('/api/v1/usage/sharing', { body: { municipality_id: municipalityId, leika_key: leikaKey, visibility } })),
  series: (municipalityId: string, p: Period, page: number) =>
    call(() => api.GET('/api/v1/usage/towns/{id}/series', { params: { path: id(municipalityId), query: { ...period(p), page, limit: 10 } } })),
  seriesCsv: (municipalityId: string, p: Period, leikaKey?: string) =>
    call(() =>
      api.GET('/api/v1/usage/towns/{id}/series.csv', {
        params: { path: id(municipalityId), query: { ...period(p), ...(leikaKey ? { leika_key: leikaKey } : {}) } },
        parseAs: 'blob',
      }),
    ),
  heatmap: (districtId: string, p: Period, page: number) =>
    call(() => api.GET('/api/v1/usage/districts/{id}/heatmap', { params: { path: id(districtId), query: { ...period(p), page, limit: 50 } } })),
  totals: (districtId: string, p: Period) =>
    call(() => api.GET('/api/v1/usage/districts/{id}/totals', { params: { path: id(districtId), query: period(p) } })),
  potential: (districtId: string, p: Period) =>
    call(() => api.GET('/api/v1/usage/districts/{id}/potential', { params: { path: id(districtId), query: { ...period(p), limit: 10 } } })),
  anomalies: (districtId: string, p: Period) =>
    call(() =>
      api.GET('/api/v1/usage/districts/{id}/anomalies', { params: { path: id(districtId), query: { ...(p.to ? { to: p.to } : {}), limit: 25 } } }),
    ),
  districtCsv: (districtId: string, view: DistrictCsv, p: Period) => {
    const params = { path: id(districtId), query: view === 'anomalies' ? (p.to ? { to: p.to } : {}) : period(p) };
    switch (view) {
      case 'heatmap':
        return call(() => api.GET('/api/v1/usage/districts/{id}/heatmap.csv', { params, parseAs: 'blob' }));
      case 'totals':
        return call(() => api.GET('/api/v1/usage/districts/{id}/totals.csv', { params, parseAs: 'blob' }));
      case 'potential':
        return call(() => api.GET('/api/v1/usage/districts/{id}/potential.csv', { params, parseAs: 'blob' }));
      case 'anomalies':
        return call(() => api.GET('/api/v1/usage/districts/{id}/anomalies.csv', { params, parseAs: 'blob' }));
    }
  },
  maturityCsv: (districtId: string, model: string) =>
    call(() => api.GET('/api/v1/usage/districts/{id}/maturity.csv', { params: { path: id(districtId), query: { model } }, parseAs: 'blob' })),
  models: () => call(() => api.GET('/api/v1/usage/maturity/models')),
  assess: (body: AssessmentInput) => call(() => api.POST('/api/v1/usage/maturity/assessments', { body })),
  assessments: (municipalityId: string, leikaKey: string, model: string) =>
    call(() =>
      api.GET('/api/v1/usage/maturity/assessments', { params: { query: { municipality_id: municipalityId, leika_key: leikaKey, model, limit: 5 } } }),
    ),
  maturityMatrix: (districtId: string, model: string) =>
    call(() => api.GET('/api/v1/usage/districts/{id}/maturity', { params: { path: id(districtId), query: { model } } })),
  towns: (districtId: string | undefined) =>
    call(() => api.GET('/api/v1/municipalities', { params: { query: { limit: 100, ...(districtId ? { district_id: districtId } : {}) } } })),
};
