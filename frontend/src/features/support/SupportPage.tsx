// /unterstuetzung: the coordinators' desk (queue with filters in the URL, workload per
// coordinator) or, for a town, the requests of the own town.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { CheckboxField, PageHeading, Pagination, QueryState, SelectField } from '@/components';
import { can, useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { supportApi } from './api';
import { OverdueBadge, RequestStatusBadge, UrgencyText } from './Badges';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch, type QueueFilters } from './filters';
import { useCoordinators, useTowns } from './queries';
import { categories, supportStatuses, type Category, type SupportRequest, type SupportStatus } from './types';

const LIMIT = 20;

function RequestTable({ items, showTown }: { items: SupportRequest[]; showTown: boolean }) {
  const { t, locale } = useI18n();
  return (
    <div className="kern-table-responsive">
      <table className="kern-table kern-table--striped">
        <caption className="kern-sr-only">{t('support.tableCaption')}</caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header">{t('support.field.title')}</th>
            {showTown ? <th scope="col" className="kern-table__header">{t('field.municipality')}</th> : null}
            <th scope="col" className="kern-table__header">{t('support.field.category')}</th>
            <th scope="col" className="kern-table__header">{t('support.field.urgency')}</th>
            <th scope="col" className="kern-table__header">{t('support.field.status')}</th>
            <th scope="col" className="kern-table__header">{t('support.field.assignee')}</th>
            <th scope="col" className="kern-table__header">{t('support.field.created')}</th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {items.map((r) => (
            <tr key={r.id} className="kern-table__row">
              <th scope="row" className="kern-table__cell">
                <Link className="kern-link" to={routes.supportRequest(r.id)}>
                  {r.title}
                </Link>
                {r.application_title ? (
                  <div className="kern-body kern-body--small">{t('support.list.application', { title: r.application_title })}</div>
                ) : null}
              </th>
              {showTown ? <td className="kern-table__cell">{r.municipality_name}</td> : null}
              <td className="kern-table__cell">{t(`support.category.${r.category}`)}</td>
              <td className="kern-table__cell">
                <UrgencyText urgency={r.urgency} />
              </td>
              <td className="kern-table__cell">
                <span className="dn-badges">
                  <RequestStatusBadge status={r.status} />
                  {r.overdue ? <OverdueBadge /> : null}
                </span>
              </td>
              <td className="kern-table__cell">{r.assignee_name ?? t('support.unassigned')}</td>
              <td className="kern-table__cell">{formatDateTime(r.created_at, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Workload({ onPick }: { onPick: (assigneeId: string) => void }) {
  const t = useT();
  const workload = useQuery({ queryKey: ['support', 'workload'], queryFn: supportApi.workload });
  return (
    <section className="kern-stack" aria-labelledby="workload">
      <h2 className="kern-heading-medium" id="workload">
        {t('support.workload.title')}
      </h2>
      <QueryState query={workload}>
        {(data) => (
          <>
            <p className="kern-body">{t('support.workload.unassigned', { count: data.unassigned })}</p>
            {data.items.length ? (
              <div className="kern-table-responsive">
                <table className="kern-table kern-table--small">
                  <caption className="kern-sr-only">{t('support.workload.title')}</caption>
                  <thead className="kern-table__header">
                    <tr className="kern-table__row">
                      <th scope="col" className="kern-table__header">{t('support.workload.coordinator')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('support.status.assigned')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('support.status.in_progress')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('support.status.waiting')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('support.overdue')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('support.workload.resolved30')}</th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {data.items.map((w) => (
                      <tr key={w.user_id} className="kern-table__row">
                        <th scope="row" className="kern-table__cell">
                          <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => onPick(w.user_id)}>
                            <span className="kern-label">{t('support.workload.show', { name: w.name })}</span>
                          </button>
                        </th>
                        <td className="kern-table__cell kern-table__cell--numeric">{w.assigned}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{w.in_progress}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{w.waiting}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{w.overdue}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{w.resolved_last_30_days}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        )}
      </QueryState>
    </section>
  );
}

export function SupportPage() {
  const t = useT();
  const me = useMe();
  const desk = can.triageSupport(me);
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const towns = useTowns(desk);
  const coordinators = useCoordinators(me.district?.id, desk);
  const update = (patch: Partial<QueueFilters>) => setParams(filtersToSearch({ ...filters, page: 1, ...patch }));
  const requests = useQuery({
    queryKey: ['support', 'list', filtersToSearch(filters).toString()],
    queryFn: () => supportApi.list(filtersToApiQuery(filters, LIMIT)),
    placeholderData: keepPreviousData,
  });
  const title = desk ? t('support.deskTitle') : t('support.townTitle');
  return (
    <div className="kern-stack-lg">
      <PageHeading>{title}</PageHeading>
      <p className="kern-body">{desk ? t('support.deskIntro') : t('support.townIntro')}</p>
      {can.requestSupport(me) ? (
        <div className="kern-btn-wrapper dn-actions">
          <Link to={routes.newSupportRequest} className="kern-btn kern-btn--primary">
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{t('support.new')}</span>
          </Link>
        </div>
      ) : null}
      {/* GET /support/workload is per the caller's district; admins without one have none. */}
      {desk && me.district ? <Workload onPick={(id) => update({ assignee_id: id })} /> : null}
      <section className="kern-stack" aria-labelledby="queue">
        <h2 className="kern-heading-medium" id="queue">
          {desk ? t('support.queue') : t('support.townList')}
        </h2>
        <form className="dn-filters" aria-label={t('support.filters')} onSubmit={(e) => e.preventDefault()}>
          <SelectField
            label={t('support.field.status')}
            value={filters.status}
            options={[{ value: '', label: t('filter.all') }, ...supportStatuses.map((s) => ({ value: s, label: t(`support.status.${s}`) }))]}
            onChange={(e) => update({ status: e.target.value as SupportStatus | '' })}
          />
          <SelectField
            label={t('support.field.category')}
            value={filters.category}
            options={[{ value: '', label: t('filter.all') }, ...categories.map((c) => ({ value: c, label: t(`support.category.${c}`) }))]}
            onChange={(e) => update({ category: e.target.value as Category | '' })}
          />
          {desk ? (
            <>
              <SelectField
                label={t('field.municipality')}
                value={filters.municipality_id}
                options={[{ value: '', label: t('filter.all') }, ...(towns.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))]}
                onChange={(e) => update({ municipality_id: e.target.value })}
              />
              <SelectField
                label={t('support.field.assignee')}
                value={filters.assignee_id}
                options={[
                  { value: '', label: t('filter.all') },
                  ...(coordinators.data?.items ?? []).map((u) => ({ value: u.id, label: u.id === me.id ? t('support.me', { name: u.name }) : u.name })),
                ]}
                onChange={(e) => update({ assignee_id: e.target.value })}
              />
            </>
          ) : null}
          <CheckboxField label={t('support.onlyOverdue')} checked={filters.overdue} onChange={(e) => update({ overdue: e.target.checked })} />
        </form>
        <QueryState query={requests} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('support.empty')}</p>}>
          {(data) => (
            <>
              <p className="kern-body" aria-live="polite">
                {t(data.total === 1 ? 'support.results.one' : 'support.results', { total: data.total })}
              </p>
              <RequestTable items={data.items} showTown={desk} />
              <Pagination
                page={data.page}
                limit={data.limit}
                total={data.total}
                onPageChange={(page) => setParams(filtersToSearch({ ...filters, page }))}
              />
            </>
          )}
        </QueryState>
      </section>
    </div>
  );
}
