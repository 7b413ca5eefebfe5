// /impressum, /datenschutz, /barrierefreiheit: the operator's text (Markdown from the data
// directory, rendered and sanitised by the server), readable without signing in.
import { useQuery } from '@tanstack/react-query';
import { PageHeading, QueryState } from '@/components';
import { useAuth } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, type MessageKey } from '@/lib/i18n';
import { infoApi, type LegalPageKind } from './api';

const TITLES: Record<LegalPageKind, MessageKey> = {
  impressum: 'legal.impressum.title',
  datenschutz: 'legal.datenschutz.title',
  barrierefreiheit: 'legal.barrierefreiheit.title',
};

export function LegalPage({ page }: { page: LegalPageKind }) {
  const { t, locale } = useI18n();
  // Wait for the session check: a failed refresh clears the query cache (and a query in flight).
  const settled = useAuth().status !== 'restoring';
  const query = useQuery({
    queryKey: ['legal', page, locale],
    queryFn: () => infoApi.legal(page, locale),
    enabled: settled,
  });
  return (
    <article className="kern-stack-lg">
      <PageHeading>{query.data?.title ?? t(TITLES[page])}</PageHeading>
      <QueryState query={query}>
        {(data) => (
          <>
            <div lang={data.lang} className="kern-body dn-rich-text" dangerouslySetInnerHTML={{ __html: data.html }} />
            {data.updated_at ? (
              <p className="kern-body kern-body--small">
                {t('legal.updatedAt', { date: formatDateTime(data.updated_at, locale) })}
              </p>
            ) : null}
          </>
        )}
      </QueryState>
    </article>
  );
}

export const ImprintPage = () => <LegalPage page="impressum" />;
export const PrivacyPage = () => <LegalPage page="datenschutz" />;
export const AccessibilityPage = () => <LegalPage page="barrierefreiheit" />;
