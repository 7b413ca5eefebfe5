// /foerderung/antraege: the application board, one column per status; cards move with buttons.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Alert, PageHeading, QueryState } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useI18n, useT } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import { routes } from '@/lib/routes';
import { fundingApi } from './api';
import { FundingNav } from './FundingNav';
import { boardColumns } from './logic';
import { fundingKeys, useApplications } from './queries';
import type { Application, ApplicationStatus } from './types';

function Card({ application: a }: { application: Application }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const move = useMutation({
    mutationFn: (to: ApplicationStatus) => fundingApi.changeStatus(a.id, a.version, to, ''),
    onSuccess: async (saved) => {
      queryClient.setQueryData(fundingKeys.application(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: fundingKeys.applications });
    },
  });
  const stale = move.error instanceof ApiError && move.error.kind === 'precondition-failed';
  return (
    <li className="dn-project-card" data-testid="application-card">
      <h3 className="kern-heading-small dn-project-card__title">
        <Link className="kern-link" to={routes.fundingApplication(a.id)}>
          {a.title}
        </Link>
      </h3>
      <p className="kern-body kern-body--small dn-project-card__meta">
        {a.programme_name} · {a.lead_municipality_name}
        {a.shares.length > 1 ? ` + ${a.shares.length - 1}` : ''}
      </p>
      <p className="kern-body kern-body--small">
        {t('funding.field.totalCosts')}: {formatEuro(a.total_costs_cents, locale)} · {t('funding.field.requested')}: {formatEuro(a.requested_cents, locale)}
      </p>
      {stale ? (
        <Alert variant="danger" title={t('funding.stale')}>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => {
              move.reset();
              void queryClient.invalidateQueries({ queryKey: fundingKeys.applications });
            }}
          >
            <span className="kern-label">{t('funding.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {move.isError && !stale ? <Alert variant="danger" title={problemMessage(t, move.error)} /> : null}
      {a.can_manage && a.next_statuses.length ? (
        <div className="kern-btn-wrapper dn-actions" role="group" aria-label={t('funding.board.moveGroup', { title: a.title })}>
          {a.next_statuses.map((s) => (
            <button
              key={s}
              type="button"
              className="kern-btn kern-btn--secondary kern-btn--x-small"
              disabled={move.isPending}
              aria-label={t('funding.board.moveNamed', { title: a.title, status: t(`funding.status.${s}`) })}
              onClick={() => move.mutate(s)}
            >
              <span className="kern-icon kern-icon--arrow-forward kern-icon--small" aria-hidden="true" />
              <span className="kern-label">{t(`funding.status.${s}`)}</span>
            </button>
          ))}
        </div>
      ) : null}
    </li>
  );
}

export function BoardPage() {
  const t = useT();
  const me = useMe();
  const applications = useApplications();
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('funding.board.title')}</PageHeading>
      <FundingNav />
      <p className="kern-body">{t('funding.board.intro')}</p>
      {can.createApplication(me) ? (
        <div className="kern-btn-wrapper dn-actions">
          <Link className="kern-btn kern-btn--primary" to={routes.newFundingApplication}>
            <span className="kern-label">{t('funding.newApplication')}</span>
          </Link>
        </div>
      ) : null}
      <QueryState query={applications}>
        {(data) => (
          <div className="dn-board">
            {boardColumns(data.items).map((column) => (
              <section key={column.status} className="dn-board__column" aria-labelledby={`column-${column.status}`} data-testid={`column-${column.status}`}>
                <h2 className="kern-heading-small" id={`column-${column.status}`}>
                  {t(`funding.status.${column.status}`)} ({column.items.length})
                </h2>
                {column.items.length ? (
                  <ul className="dn-card-list">
                    {column.items.map((a) => (
                      <Card key={`${a.id}-${a.version}`} application={a} />
                    ))}
                  </ul>
                ) : (
                  <p className="kern-body kern-body--small">{t('funding.board.emptyColumn')}</p>
                )}
              </section>
            ))}
          </div>
        )}
      </QueryState>
    </div>
  );
}
