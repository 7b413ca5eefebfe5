// "Heute wichtig" at the top of the start page: deadlines, own checklist items, requests
// waiting for the user and measures due, each linked to its object.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { QueryState } from '@/components';
import { useI18n, type Locale, type MessageKey, type TFunction } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { dashboardApi, type Today, type TodayItem, type TodayList } from './api';
import { measureStatusLabel, supportStatusLabel } from './labels';

/** A calendar date ("2027-01-15") as "15.01.2027" (German) or "15/01/2027". */
export function formatDay(value: string, locale: Locale): string {
  const date = new Date(`${value}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** Whole days from `from` to `to` (both calendar dates). */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** Where an entry's link goes. */
export function itemLink(item: TodayItem): string | null {
  switch (item.kind) {
    case 'funding_application':
      return routes.fundingApplication(item.id);
    case 'funding_programme':
      return routes.fundingProgramme(item.id);
    case 'support_request':
      return routes.supportRequest(item.id);
    case 'town_strategy':
      return routes.townStrategy(item.id);
    case 'district_strategy':
      return routes.strategy;
    default:
      return null;
  }
}

function dueText(t: TFunction, locale: Locale, today: string, item: TodayItem, key: 'deadline' | 'due' | 'wished'): string | null {
  if (!item.due_date) return null;
  const date = formatDay(item.due_date, locale);
  const left = daysBetween(today, item.due_date);
  const when =
    key === 'deadline' && item.due_time
      ? t('today.deadlineWithTime', { date, time: item.due_time.slice(0, 5) })
      : t(`today.${key}` as MessageKey, { date });
  let rest: string;
  if (left < 0) rest = t('today.overdue');
  else if (left === 0) rest = t('today.isToday');
  else if (left === 1) rest = t('today.daysLeft.one');
  else rest = t('today.daysLeft', { days: left });
  return `${when} (${rest})`;
}

type ListSpec = {
  id: string;
  title: MessageKey;
  empty: MessageKey;
  more: string;
  due: 'deadline' | 'due' | 'wished';
  status?: (t: TFunction, s: string) => string;
};

function TodayBlock({ spec, list, today, days }: { spec: ListSpec; list: TodayList; today: string; days: number }) {
  const { t, locale } = useI18n();
  const hidden = list.total - list.items.length;
  return (
    <section className="kern-stack" aria-labelledby={`today-${spec.id}`} data-testid={`today-${spec.id}`}>
      <h3 className="kern-heading-small" id={`today-${spec.id}`}>
        {t(spec.title)} ({list.total})
      </h3>
      {list.items.length ? (
        <ul className="dn-plain-list">
          {list.items.map((item, i) => {
            const href = itemLink(item);
            const due = dueText(t, locale, today, item, spec.due);
            return (
              <li key={`${item.kind}-${item.id}-${i}`} className="kern-body">
                {href ? (
                  <Link className="kern-link" to={href}>
                    {item.title}
                  </Link>
                ) : (
                  item.title
                )}
                {item.context ? ` – ${item.context}` : ''}
                {item.status && spec.status ? ` · ${spec.status(t, item.status)}` : ''}
                {due ? (
                  <>
                    {' · '}
                    <span className="kern-body--small">{due}</span>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="kern-body">{t(spec.empty, { days })}</p>
      )}
      {hidden > 0 ? (
        <p className="kern-body">
          <Link className="kern-link" to={spec.more}>
            {t('today.more', { count: hidden })}
          </Link>
        </p>
      ) : null}
    </section>
  );
}

const specs: { key: 'deadlines' | 'checklist' | 'requests' | 'measures'; spec: ListSpec }[] = [
  { key: 'deadlines', spec: { id: 'deadlines', title: 'today.deadlines', empty: 'today.noDeadlines', more: routes.funding, due: 'deadline' } },
  { key: 'checklist', spec: { id: 'checklist', title: 'today.checklist', empty: 'today.noChecklist', more: routes.fundingApplications, due: 'due' } },
  {
    key: 'requests',
    spec: { id: 'requests', title: 'today.requests', empty: 'today.noRequests', more: routes.support, due: 'wished', status: supportStatusLabel },
  },
  {
    key: 'measures',
    spec: { id: 'measures', title: 'today.measures', empty: 'today.noMeasures', more: routes.strategy, due: 'due', status: measureStatusLabel },
  },
];

/** The lists of "Heute wichtig" (rendered without fetching, for tests and the page). */
export function TodayLists({ data }: { data: Today }) {
  return (
    <div className="dn-today kern-stack">
      {specs.map(({ key, spec }) => (
        <TodayBlock key={key} spec={spec} list={data[key]} today={data.today} days={data.days} />
      ))}
    </div>
  );
}

export function TodaySection() {
  const { t } = useI18n();
  const query = useQuery({ queryKey: ['me', 'today'], queryFn: dashboardApi.today });
  return (
    <section className="kern-stack" aria-labelledby="today" data-testid="today">
      <h2 className="kern-heading-medium" id="today">
        {t('today.title')}
      </h2>
      <QueryState query={query}>{(d) => <TodayLists data={d} />}</QueryState>
    </section>
  );
}
