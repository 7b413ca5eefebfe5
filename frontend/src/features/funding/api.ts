// Every call of the funding coordination, typed by the generated OpenAPI schema.
import type { paths } from '@/lib/api/schema';
import { api, call, ifMatch } from '@/lib/api';
import type { ApplicationInput, ApplicationStatus, ChecklistInput, NewCall, NewChecklistItem, ProgrammeInput } from './types';

export type ProgrammeQuery = NonNullable<paths['/api/v1/funding/programmes']['get']['parameters']['query']>;
export type ApplicationQuery = NonNullable<paths['/api/v1/funding/applications']['get']['parameters']['query']>;

const id = (value: string) => ({ path: { id: value } });
const versioned = (value: string, version: number) => ({ path: { id: value }, header: { 'If-Match': ifMatch(version) } });

export const fundingApi = {
  programmes: (query: ProgrammeQuery) => call(() => api.GET('/api/v1/funding/programmes', { params: { query } })),
  programme: (programmeId: string) => call(() => api.GET('/api/v1/funding/programmes/{id}', { params: id(programmeId) })),
  updateProgramme: (programmeId: string, version: number, body: ProgrammeInput) =>
    call(() => api.PATCH('/api/v1/funding/programmes/{id}', { params: versioned(programmeId, version), body })),
  createCall: (programmeId: string, body: NewCall) =>
    call(() => api.POST('/api/v1/funding/programmes/{id}/calls', { params: id(programmeId), body })),
  deleteCall: async (callId: string): Promise<void> => {
    await call(() => api.DELETE('/api/v1/funding/calls/{id}', { params: id(callId) }));
  },
  declareInterest: async (programmeId: string, note: string): Promise<void> => {
    await call(() => api.POST('/api/v1/funding/programmes/{id}/interest', { params: id(programmeId), body: { note } }));
  },
  applications: (query: ApplicationQuery) => call(() => api.GET('/api/v1/funding/applications', { params: { query } })),
  application: (applicationId: string) => call(() => api.GET('/api/v1/funding/applications/{id}', { params: id(applicationId) })),
  createApplication: (body: ApplicationInput) => call(() => api.POST('/api/v1/funding/applications', { body })),
  updateApplication: (applicationId: string, version: number, body: ApplicationInput) =>
    call(() => api.PATCH('/api/v1/funding/applications/{id}', { params: versioned(applicationId, version), body })),
  changeStatus: (applicationId: string, version: number, status: ApplicationStatus, note: string) =>
    call(() =>
      api.POST('/api/v1/funding/applications/{id}/status', {
        params: versioned(applicationId, version),
        body: { status, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    ),
  addChecklistItem: (applicationId: string, body: NewChecklistItem) =>
    call(() => api.POST('/api/v1/funding/applications/{id}/checklist', { params: id(applicationId), body })),
  updateChecklistItem: (itemId: string, version: number, body: ChecklistInput) =>
    call(() => api.PATCH('/api/v1/funding/checklist/{id}', { params: versioned(itemId, version), body })),
  documents: (applicationId: string) =>
    call(() => api.GET('/api/v1/funding/applications/{id}/documents', { params: id(applicationId) })),
  /** Multipart upload (bearer token, refresh on 401 through the same client); the browser sets the boundary. */
  uploadDocument: (applicationId: string, file: File, checklistItemId?: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    if (checklistItemId) form.append('checklist_item_id', checklistItemId);
    return call(() =>
      api.POST('/api/v1/funding/applications/{id}/documents', {
        params: id(applicationId),
        // The schema types the multipart body as a string; openapi-fetch passes FormData through as is.
        body: form as unknown as string,
      }),
    );
  },
  downloadDocument: (applicationId: string, documentId: string) =>
    call(() =>
      api.GET('/api/v1/funding/applications/{id}/documents/{document_id}', {
        params: { path: { id: applicationId, document_id: documentId } },
        parseAs: 'blob',
      }),
    ),
  deleteDocument: async (applicationId: string, documentId: string): Promise<void> => {
    await call(() =>
      api.DELETE('/api/v1/funding/applications/{id}/documents/{document_id}', {
        params: { path: { id: applicationId, document_id: documentId } },
      }),
    );
  },
  overview: () => call(() => api.GET('/api/v1/funding/overview')),
  overviewCsv: () => call(() => api.GET('/api/v1/funding/overview.csv', { parseAs: 'blob' })),
  overviewXlsx: () => call(() => api.GET('/api/v1/funding/overview.xlsx', { parseAs: 'blob' })),
  calendarToken: () => call(() => api.POST('/api/v1/me/calendar-token')),
  /** Search for projects to link to an application (the caller sees only what they may see). */
  projects: (q: string, page: number) =>
    call(() => api.GET('/api/v1/projects', { params: { query: { q, page, limit: 10, sort: 'relevance' } } })),
  towns: (districtId: string | undefined) =>
    call(() =>
      api.GET('/api/v1/municipalities', { params: { query: { limit: 100, ...(districtId ? { district_id: districtId } : {}) } } }),
    ),
  users: (districtId: string | undefined) =>
    call(() =>
      api.GET('/api/v1/users', { params: { query: { active: true, limit: 100, ...(districtId ? { district_id: districtId } : {}) } } }),
    ),
};
