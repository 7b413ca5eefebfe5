// /foerderung/kalender: upcoming deadlines by month and the personal ICS feed to subscribe to.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, PageHeading, QueryState, TextField } from '@/components';
import { problemMessage } from '@/lib/api';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { fundingApi } from './api';
import { FundingNav } from './FundingNav';
import { daysLeftText, deadlinesByMonth, formatDate, formatMonth, webcalUrl } from './logic';
import { useProgrammes } from './queries';

function Subscribe() {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const token = useMutation({ mutationFn: fundingApi.calendarToken, onSuccess: () => setCopied(false) });
  const url = token.data?.url;
  return (
    <section className="kern-stack dn-section" aria-labelledby="subscribe">
      <h2 className="kern-heading-medium" id="subscribe">
        {t('funding.calendar.subscribeTitle')}
      </h2>
      <p className="kern-body">{t('funding.calendar.subscribeIntro')}</p>
      <Alert variant="warning" title={t('funding.calendar.renewNote')} />
      {token.isError ? <Alert variant="danger" title={problemMessage(t, token.error)} /> : null}
      <div className="kern-btn-wrapper">
        <button type="button" className="kern-btn kern-btn--primary" disabled={token.isPending} onClick={() => token.mutate()}>
          <span className="kern-icon kern-icon--calendar-today" aria-hidden="true" />
          <span className="kern-label">{url ? t('funding.calendar.renew') : t('funding.calendar.subscribe')}</span>
        </button>
      </div>
      {url ? (
        <div className="kern-stack" data-testid="calendar-url">
          <TextField label={t('funding.calendar.url')} readOnly value={url} onFocus={(e) => e.target.select()} />
          <div className="kern-btn-wrapper">
            <button
              type="button"
              className="kern-btn kern-btn--secondary"
              onClick={() =>
                void navigator.clipboard.writeText(url).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              <span className="kern-label">{t('funding.calendar.copy')}</span>
            </button>
            <a className="kern-btn kern-btn--tertiary" href={webcalUrl(url)}>
              <span className="kern-label">{t('funding.calendar.webcal')}</span>
            </a>
          </div>
          {copied ? <p className="kern-body" role="status">{t('funding.calendar.copied')}</p> : null}
        </div>
      ) : null}
    </section>
  );
}

export function CalendarPage() {
  const { t, locale } = useI18n();
  const programmes = useProgrammes({ limit: 100, open_calls: true });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('funding.calendar.title')}</PageHeading>
      <FundingNav />
      <Subscribe />
      <section className="kern-stack dn-section" aria-labelledby="deadlines">
        <h2 className="kern-heading-medium" id="deadlines">
          {t('funding.calendar.upcoming')}
        </h2>
        <QueryState
          query={programmes}
          isEmpty={(d) => deadlinesByMonth(d.items).length === 0}
          empty={<p className="kern-body">{t('funding.calendar.empty')}</p>}
        >
          {(data) =>
            deadlinesByMonth(data.items).map((group) => (
              <section key={group.month} className="kern-stack" aria-labelledby={`month-${group.month}`}>
                <h3 className="kern-heading-small" id={`month-${group.month}`}>
                  {formatMonth(`${group.month}-01`, locale)}
                </h3>
                <ul className="dn-plain-list">
                  {group.entries.map(({ programme, call }) => (
                    <li key={call.id} data-testid="deadline">
                      <strong>
                        {formatDate(call.deadline_date, locale)}
                        {call.deadline_time ? `, ${t('funding.time', { time: call.deadline_time.slice(0, 5) })}` : ''}
                      </strong>{' '}
                      – <Link className="kern-link" to={routes.fundingProgramme(programme.id)}>{programme.name}</Link>: {call.title} ({daysLeftText(t, call.days_left)})
                    </li>
                  ))}
                </ul>
              </section>
            ))
          }
        </QueryState>
      </section>
    </div>
  );
}
