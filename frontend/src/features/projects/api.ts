// Every call of the projects feature, typed by the generated OpenAPI schema.
import { api, call, ifMatch } from '@/lib/api';
import type { ProjectApiQuery } from './filters';
import type { PartnerRole, ProjectInput, ProjectPatch, ProjectStatus, SimilarRequest } from './types';

const id = (projectId: string) => ({ path: { id: projectId } });
const attachment = (projectId: string, attachmentId: string) => ({
  path: { id: projectId, attachment_id: attachmentId },
});

export const projectsApi = {
  list: (query: ProjectApiQuery) => call(() => api.GET('/api/v1/projects', { params: { query } })),
  exportCsv: (query: ProjectApiQuery) =>
    call(() => api.GET('/api/v1/projects/export.csv', { params: { query }, parseAs: 'blob' })),
  exportXlsx: (query: ProjectApiQuery) =>
    call(() => api.GET('/api/v1/projects/export.xlsx', { params: { query }, parseAs: 'blob' })),
  get: (projectId: string) => call(() => api.GET('/api/v1/projects/{id}', { params: id(projectId) })),
  create: (body: ProjectInput) => call(() => api.POST('/api/v1/projects', { body })),
  update: (projectId: string, version: number, body: ProjectPatch) =>
    call(() =>
      api.PATCH('/api/v1/projects/{id}', {
        params: { ...id(projectId), header: { 'If-Match': ifMatch(version) } },
        body,
      }),
    ),
  changeStatus: (projectId: string, version: number, status: ProjectStatus, note: string) =>
    call(() =>
      api.POST('/api/v1/projects/{id}/status', {
        params: { ...id(projectId), header: { 'If-Match': ifMatch(version) } },
        body: { status, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    ),
  timeline: (projectId: string) => call(() => api.GET('/api/v1/projects/{id}/timeline', { params: id(projectId) })),
  versions: (projectId: string) => call(() => api.GET('/api/v1/projects/{id}/versions', { params: id(projectId) })),
  similarTo: (body: SimilarRequest) => call(() => api.POST('/api/v1/projects/similar', { body })),
  /** Documented processes of other towns that resemble the draft (the process register). */
  similarProcesses: (body: SimilarRequest) => call(() => api.POST('/api/v1/processes/similar', { body })),
  similarOf: (projectId: string) => call(() => api.GET('/api/v1/projects/{id}/similar', { params: id(projectId) })),
  addPartner: (projectId: string, municipalityId: string, role: PartnerRole) =>
    call(() =>
      api.POST('/api/v1/projects/{id}/partners', {
        params: id(projectId),
        body: { municipality_id: municipalityId, role },
      }),
    ),
  acceptPartner: (projectId: string, municipalityId: string) =>
    call(() =>
      api.POST('/api/v1/projects/{id}/partners/{municipality_id}/accept', {
        params: { path: { id: projectId, municipality_id: municipalityId } },
      }),
    ),
  removePartner: (projectId: string, municipalityId: string) =>
    call(() =>
      api.DELETE('/api/v1/projects/{id}/partners/{municipality_id}', {
        params: { path: { id: projectId, municipality_id: municipalityId } },
      }),
    ),
  updates: (projectId: string) => call(() => api.GET('/api/v1/projects/{id}/updates', { params: id(projectId) })),
  postUpdate: (projectId: string, title: string, body: string) =>
    call(() => api.POST('/api/v1/projects/{id}/updates', { params: id(projectId), body: { title, body } })),
  comments: (projectId: string) => call(() => api.GET('/api/v1/projects/{id}/comments', { params: id(projectId) })),
  postComment: (projectId: string, body: string) =>
    call(() => api.POST('/api/v1/projects/{id}/comments', { params: id(projectId), body: { body } })),
  mentionable: (projectId: string, q: string) =>
    call(() => api.GET('/api/v1/projects/{id}/mentionable', { params: { ...id(projectId), query: { q } } })),
  attachments: (projectId: string) =>
    call(() => api.GET('/api/v1/projects/{id}/attachments', { params: id(projectId) })),
  /** Multipart upload through the same client (bearer token, refresh on 401); the browser sets the boundary. */
  uploadAttachment: (projectId: string, file: File, updateId?: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    if (updateId) form.append('update_id', updateId);
    return call(() =>
      api.POST('/api/v1/projects/{id}/attachments', {
        params: id(projectId),
        // The schema types the multipart body as a string; openapi-fetch passes FormData through as is.
        body: form as unknown as string,
      }),
    );
  },
  downloadAttachment: (projectId: string, attachmentId: string) =>
    call(() =>
      api.GET('/api/v1/projects/{id}/attachments/{attachment_id}', {
        params: attachment(projectId, attachmentId),
        parseAs: 'blob',
      }),
    ),
  deleteAttachment: (projectId: string, attachmentId: string) =>
    call(() =>
      api.DELETE('/api/v1/projects/{id}/attachments/{attachment_id}', { params: attachment(projectId, attachmentId) }),
    ),
  follow: (projectId: string) => call(() => api.PUT('/api/v1/projects/{id}/follow', { params: id(projectId) })),
  unfollow: (projectId: string) => call(() => api.DELETE('/api/v1/projects/{id}/follow', { params: id(projectId) })),
  publicList: (page: number, limit: number) =>
    call(() => api.GET('/api/v1/public/projects', { params: { query: { page, limit } } })),
  publicGet: (projectId: string) => call(() => api.GET('/api/v1/public/projects/{id}', { params: id(projectId) })),
};

export const PUBLIC_FEED_URL = '/api/v1/public/feed.atom';
