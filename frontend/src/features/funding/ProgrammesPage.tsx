// /foerderung: funding programmes with their next deadline, rate and topics; filters (level, topic,
// text, open calls) in the URL.
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CheckboxField, PageHeading, QueryState, SelectField, TextField } from '@/components';
import { useI18n } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import { routes } from '@/lib/routes';
import { useTopics } from '@/lib/topics';
import type { ProgrammeQuery } from './api';
import { FundingNav } from './FundingNav';
import { deadlineText, formatRate, nextCall } from './logic';
import { useProgrammes } from './queries';
import { TopicTags } from './TopicTags';

const levels = ['EU', 'Bund', 'Land'];

export function ProgrammesPage() {
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const level = params.get('level') ?? '';
  const topic = params.get('topic') ?? '';
  const topics = useTopics();
  const openCalls = params.get('open_calls') === 'true';
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() === q) return;
      setParams((p) => {
        const next = new URLSearchParams(p);
        if (text.trim()) next.set('q', text.trim());
        else next.delete('q');
        return next;
      });
    }, 300);
    return () => clearTimeout(timer);
  }, [text, q, setParams]);
  const setParam = (key: string, value: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const query: ProgrammeQuery = {
    limit: 100,
    ...(level ? { level } : {}),
    ...(openCalls ? { open_calls: true } : {}),
    ...(q ? { q } : {}),
    ...(topic ? { topic } : {}),
  };
  const programmes = useProgrammes(query);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('funding.programmes.title')}</PageHeading>
      <FundingNav />
      <p className="kern-body">{t('funding.programmes.intro')}</p>
      <form className="dn-filters" role="search" aria-label={t('funding.programmes.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label={t('funding.field.level')}
          value={level}
          options={[{ value: '', label: t('funding.programmes.allLevels') }, ...levels.map((l) => ({ value: l, label: l }))]}
          onChange={(e) => setParam('level', e.target.value)}
        />
        <SelectField
          label={t('funding.field.topic')}
          value={topic}
          options={[
            { value: '', label: t('funding.programmes.allTopics') },
            ...(topics.data?.items ?? []).map((x) => ({ value: x.id, label: x.name })),
          ]}
          onChange={(e) => setParam('topic', e.target.value)}
        />
        <TextField label={t('funding.programmes.search')} type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <CheckboxField label={t('funding.programmes.openCalls')} checked={openCalls} onChange={(e) => setParam('open_calls', e.target.checked ? 'true' : '')} />
      </form>
      <QueryState query={programmes} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('funding.programmes.empty')}</p>}>
        {(data) => (
          <ul className="dn-card-list" aria-label={t('funding.programmes.title')}>
            {data.items.map((p) => {
              const next = nextCall(p.calls);
              return (
                <li key={p.id} className="dn-project-card" data-testid="programme">
                  <h2 className="kern-heading-small dn-project-card__title">
                    <Link className="kern-link" to={routes.fundingProgramme(p.id)}>
                      {p.name}
                    </Link>
                  </h2>
                  <p className="kern-body kern-body--small dn-project-card__meta">
                    {p.level} · {p.funder}
                  </p>
                  <p className="kern-body">
                    {t('funding.field.rate')}: {formatRate(p.rate_bp, locale)}
                    {p.increased_rate_bp != null ? ` (${t('funding.upTo', { rate: formatRate(p.increased_rate_bp, locale) })})` : ''}
                    {p.max_amount_cents != null ? ` · ${t('funding.field.maxAmount')}: ${formatEuro(p.max_amount_cents, locale)}` : ''}
                  </p>
                  <p className="kern-body" data-testid="next-deadline">
                    {next ? deadlineText(t, locale, next) : t('funding.noOpenCall')}
                  </p>
                  <TopicTags ids={p.topics} />
                </li>
              );
            })}
          </ul>
        )}
      </QueryState>
    </div>
  );
}
