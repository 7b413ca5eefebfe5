// Every call of the support desk, typed by the generated OpenAPI schema.
import type { paths } from '@/lib/api/schema';
import { api, call, ifMatch, type Schemas } from '@/lib/api';
import type { NewRequest, SupportStatus } from './types';

export type RequestQuery = NonNullable<paths['/api/v1/support/requests']['get']['parameters']['query']>;

const id = (requestId: string) => ({ path: { id: requestId } });
const versioned = (requestId: string, version: number) => ({ path: { id: requestId }, header: { 'If-Match': ifMatch(version) } });

export const supportApi = {
  list: (query: RequestQuery) => call(() => api.GET('/api/v1/support/requests', { params: { query } })),
  get: (requestId: string) => call(() => api.GET('/api/v1/support/requests/{id}', { params: id(requestId) })),
  create: (body: NewRequest) => call(() => api.POST('/api/v1/support/requests', { body })),
  post: (requestId: string, body: string, internal: boolean) =>
    call(() => api.POST('/api/v1/support/requests/{id}/messages', { params: id(requestId), body: { body, internal } })),
  assign: (requestId: string, version: number, assigneeId: string) =>
    call(() =>
      api.POST('/api/v1/support/requests/{id}/assign', { params: versioned(requestId, version), body: { assignee_id: assigneeId } }),
    ),
  changeStatus: async (requestId: string, version: number, status: SupportStatus, reason: string): Promise<void> => {
    const body: Schemas['SupportStatusChange'] = { status, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    await call(() =>
      api.POST('/api/v1/support/requests/{id}/status', {
        params: versioned(requestId, version),
        body,
      }),
    );
  },
  attachments: (requestId: string) =>
    call(() => api.GET('/api/v1/support/requests/{id}/attachments', { params: id(requestId) })),
  /** Multipart upload through the same client (bearer token, refresh on 401); the browser sets the boundary. */
  uploadAttachment: (requestId: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return call(() =>
      api.POST('/api/v1/support/requests/{id}/attachments', {
        params: id(requestId),
        // The schema types the multipart body as a string; openapi-fetch passes FormData through as is.
        body: form as unknown as string,
      }),
    );
  },
  downloadAttachment: (requestId: string, attachmentId: string) =>
    call(() =>
      api.GET('/api/v1/support/requests/{id}/attachments/{attachment_id}', {
        params: { path: { id: requestId, attachment_id: attachmentId } },
        parseAs: 'blob',
      }),
    ),
  deleteAttachment: async (requestId: string, attachmentId: string): Promise<void> => {
    await call(() =>
      api.DELETE('/api/v1/support/requests/{id}/attachments/{attachment_id}', {
        params: { path: { id: requestId, attachment_id: attachmentId } },
      }),
    );
  },
  workload: () => call(() => api.GET('/api/v1/support/workload')),
  coordinators: (districtId: string | undefined) =>
    call(() =>
      api.GET('/api/v1/users', {
        params: { query: { role: 'coordinator', active: true, limit: 100, ...(districtId ? { district_id: districtId } : {}) } },
      }),
    ),
  towns: () => call(() => api.GET('/api/v1/municipalities', { params: { query: { limit: 100 } } })),
  /** The towns a user without an own town may open a request for: those of the district (admins: all). */
  districtTowns: (districtId: string | undefined) =>
    call(() =>
      api.GET('/api/v1/municipalities', { params: { query: { limit: 100, ...(districtId ? { district_id: districtId } : {}) } } }),
    ),
  myProjects: () => call(() => api.GET('/api/v1/projects', { params: { query: { mine: true, limit: 100, sort: 'title' } } })),
  /** The projects of a town of the caller's district, for a request opened on the town's behalf. */
  townProjects: (townId: string) =>
    call(() => api.GET('/api/v1/projects', { params: { query: { municipality_id: townId, limit: 100, sort: 'title' } } })),
  /** The applications a town leads or shares in, to refer its request to one (the funding feature has its own call). */
  applications: (townId: string) =>
    call(() => api.GET('/api/v1/funding/applications', { params: { query: { municipality_id: townId, limit: 100 } } })),
};
