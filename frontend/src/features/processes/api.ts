// Every call of the process register, typed by the generated OpenAPI schema.
import type { paths } from '@/lib/api/schema';
import { api, call, ifMatch } from '@/lib/api';
import type { ContinuityInput, DifferenceState, ImportInput, ModelKind, ProcessInput, ProfileInput, RankingWeights } from './types';

export type ProcessListQuery = NonNullable<paths['/api/v1/processes']['get']['parameters']['query']>;

const id = (processId: string) => ({ path: { id: processId } });
const town = (processId: string, municipalityId: string) => ({ path: { id: processId, municipality_id: municipalityId } });

/** Multipart bodies: the schema types them as a string; openapi-fetch passes FormData through as is. */
const multipart = (form: FormData) => form as unknown as string;

export const processesApi = {
  list: (query: ProcessListQuery) => call(() => api.GET('/api/v1/processes', { params: { query } })),
  get: (processId: string) => call(() => api.GET('/api/v1/processes/{id}', { params: id(processId) })),
  create: (body: ProcessInput) => call(() => api.POST('/api/v1/processes', { body })),
  update: (processId: string, version: number, body: ProcessInput) =>
    call(() => api.PUT('/api/v1/processes/{id}', { params: { ...id(processId), header: { 'If-Match': ifMatch(version) } }, body })),
  setOffice: (processId: string, municipalityId: string, office: string) =>
    call(() => api.PUT('/api/v1/processes/{id}/offices/{municipality_id}', { params: town(processId, municipalityId), body: { office } })),
  models: (processId: string) => call(() => api.GET('/api/v1/processes/{id}/models', { params: id(processId) })),
  uploadModel: (processId: string, file: File, kind: ModelKind, derivedFrom: string | null, municipalityId: string | null) => {
    const form = new FormData();
    form.append('kind', kind);
    if (derivedFrom) form.append('derived_from', derivedFrom);
    if (municipalityId) form.append('municipality_id', municipalityId);
    form.append('file', file, file.name);
    return call(() => api.POST('/api/v1/processes/{id}/models', { params: id(processId), body: multipart(form) }));
  },
  bpmn: (processId: string, modelId: string) =>
    call(() =>
      api.GET('/api/v1/processes/{id}/models/{model_id}/bpmn', { params: { path: { id: processId, model_id: modelId } }, parseAs: 'text' }),
    ),
  bpmnBlob: (processId: string, modelId: string) =>
    call(() =>
      api.GET('/api/v1/processes/{id}/models/{model_id}/bpmn', { params: { path: { id: processId, model_id: modelId } }, parseAs: 'blob' }),
    ),
  comparison: (processId: string, modelId: string) =>
    call(() => api.GET('/api/v1/processes/{id}/models/{model_id}/comparison', { params: { path: { id: processId, model_id: modelId } } })),
  updateDifference: (processId: string, differenceId: string, reason: string, state: DifferenceState) =>
    call(() =>
      api.PUT('/api/v1/processes/{id}/differences/{difference_id}', {
        params: { path: { id: processId, difference_id: differenceId } },
        body: { reason, state },
      }),
    ),
  deviations: (page: number, limit: number) => call(() => api.GET('/api/v1/processes/deviations', { params: { query: { page, limit } } })),
  exportCsv: () => call(() => api.GET('/api/v1/processes/export.csv', { parseAs: 'blob' })),
  importCsv: (body: ImportInput) => call(() => api.POST('/api/v1/processes/import', { body })),
  files: (processId: string) => call(() => api.GET('/api/v1/processes/{id}/files', { params: id(processId) })),
  uploadFile: (processId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(() => api.POST('/api/v1/processes/{id}/files', { params: id(processId), body: multipart(form) }));
  },
  downloadFile: (processId: string, fileId: string) =>
    call(() => api.GET('/api/v1/processes/{id}/files/{file_id}', { params: { path: { id: processId, file_id: fileId } }, parseAs: 'blob' })),
  deleteFile: (processId: string, fileId: string) =>
    call(() => api.DELETE('/api/v1/processes/{id}/files/{file_id}', { params: { path: { id: processId, file_id: fileId } } })),
  profiles: (processId: string) => call(() => api.GET('/api/v1/processes/{id}/profiles', { params: id(processId) })),
  saveProfile: (processId: string, municipalityId: string, year: number, body: ProfileInput) =>
    call(() =>
      api.PUT('/api/v1/processes/{id}/profiles/{municipality_id}/{year}', {
        params: { path: { id: processId, municipality_id: municipalityId, year } },
        body,
      }),
    ),
  candidates: (query: RankingWeights & { year?: number; page: number; limit: number }) =>
    call(() => api.GET('/api/v1/processes/candidates', { params: { query } })),
  projectDraft: (processId: string, municipalityIds: string[]) =>
    call(() => api.POST('/api/v1/processes/{id}/project-draft', { params: id(processId), body: { municipality_ids: municipalityIds } })),
  continuity: (processId: string, municipalityId: string) =>
    call(() => api.GET('/api/v1/processes/{id}/continuity/{municipality_id}', { params: town(processId, municipalityId) })),
  /** `version` 0 creates the sheet. */
  saveContinuity: (processId: string, municipalityId: string, version: number, body: ContinuityInput) =>
    call(() =>
      api.PUT('/api/v1/processes/{id}/continuity/{municipality_id}', {
        params: { ...town(processId, municipalityId), header: { 'If-Match': ifMatch(version) } },
        body,
      }),
    ),
  confirmContacts: (processId: string, municipalityId: string) =>
    call(() => api.POST('/api/v1/processes/{id}/continuity/{municipality_id}/confirm', { params: town(processId, municipalityId) })),
  exercises: (processId: string, municipalityId: string) =>
    call(() => api.GET('/api/v1/processes/{id}/continuity/{municipality_id}/exercises', { params: town(processId, municipalityId) })),
  addExercise: (processId: string, municipalityId: string, date: string, note: string) =>
    call(() =>
      api.POST('/api/v1/processes/{id}/continuity/{municipality_id}/exercises', {
        params: town(processId, municipalityId),
        body: { date: date || null, note },
      }),
    ),
  offlineExport: (municipalityId: string) =>
    call(() => api.GET('/api/v1/processes/continuity/offline', { params: { query: { town: municipalityId } }, parseAs: 'blob' })),
};
