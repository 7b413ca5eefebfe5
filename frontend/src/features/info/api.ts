// The public information endpoints: the operator's legal pages.
import { api, call, type Schemas } from '@/lib/api';
import type { Locale } from '@/lib/i18n';

export type LegalPageKind = Schemas['LegalPageKind'];
export type LegalPage = Schemas['LegalPage'];

export const infoApi = {
  legal: (page: LegalPageKind, lang: Locale) =>
    call(() => api.GET('/api/v1/legal/{page}', { params: { path: { page }, query: { lang } } })),
};
