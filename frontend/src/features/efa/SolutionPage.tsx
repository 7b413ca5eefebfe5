// /efa/:id: an EfA solution with its facts, who adopted it, the caller's own adoption and
// experience reports.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, PageHeading, QueryState, StatusMessage } from '@/components';
import { problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { OwnAdoption } from './AdoptionSection';
import { efaApi } from './api';
import { AdoptionBadge, SolutionStatusBadge } from './Badges';
import { efaKeys, useSolution } from './queries';
import { Stars } from './Stars';
import type { SolutionDetail } from './types';
import { UsageSection } from './UsageSection';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

function safeUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function Facts({ solution: s }: { solution: SolutionDetail }) {
  const t = useT();
  const website = s.website ? safeUrl(s.website) : null;
  return (
    <dl className="kern-description-list">
      <Fact label={t('efa.field.status')}>
        <SolutionStatusBadge status={s.status} />
      </Fact>
      <Fact label={t('efa.field.themenfeld')}>{s.themenfeld ?? '–'}</Fact>
      <Fact label={t('efa.field.leadState')}>{s.lead_state ?? '–'}</Fact>
      <Fact label={t('efa.field.leadBody')}>{s.lead_body ?? '–'}</Fact>
      <Fact label={t('efa.field.itProvider')}>{s.it_provider ?? '–'}</Fact>
      <Fact label={t('efa.field.reuseModel')}>{t(`efa.reuseModel.${s.reuse_model}`)}</Fact>
      <Fact label={t('efa.field.reuseConditions')}>{s.reuse_conditions || '–'}</Fact>
      <Fact label={t('efa.field.requirements')}>{s.requirements.length ? s.requirements.join(', ') : '–'}</Fact>
      <Fact label={t('efa.field.contact')}>{s.contact ?? '–'}</Fact>
      <Fact label={t('efa.field.website')}>
        {website ? (
          <a className="kern-link" href={website} target="_blank" rel="noopener noreferrer">
            {s.website}
            <span className="kern-sr-only"> ({t('efa.newTab')})</span>
          </a>
        ) : (
          (s.website ?? '–')
        )}
      </Fact>
      <Fact label={t('efa.field.ozg')}>
        {s.ozg_services.length ? (
          <ul className="dn-plain-list">
            {s.ozg_services.map((o) => (
              <li key={o.ozg_id}>
                {o.name} ({t('efa.ozgId', { id: o.ozg_id })})
              </li>
            ))}
          </ul>
        ) : (
          '–'
        )}
      </Fact>
    </dl>
  );
}

function Adoptions({ solution }: { solution: SolutionDetail }) {
  const { t, locale } = useI18n();
  return (
    <section className="kern-stack dn-section" aria-labelledby="adoptions">
      <h2 className="kern-heading-medium" id="adoptions">
        {t('efa.adoptions.title')}
      </h2>
      {solution.adoptions.length ? (
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--striped">
            <caption className="kern-sr-only">{t('efa.adoptions.caption', { name: solution.name })}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                <th scope="col" className="kern-table__header">{t('efa.adoption.status')}</th>
                <th scope="col" className="kern-table__header">{t('efa.adoptions.updated')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {solution.adoptions.map((a) => (
                <tr key={a.id} className="kern-table__row">
                  <th scope="row" className="kern-table__cell">{a.municipality_name}</th>
                  <td className="kern-table__cell">
                    <AdoptionBadge status={a.status} srPrefix={false} />
                    {a.decline_reason ? (
                      <span className="kern-body kern-body--small"> – {a.decline_reason}</span>
                    ) : null}
                  </td>
                  <td className="kern-table__cell">{formatDateTime(a.updated_at, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="kern-body">{t('efa.adoptions.none')}</p>
      )}
    </section>
  );
}

function Reports({ solution }: { solution: SolutionDetail }) {
  const { t, locale } = useI18n();
  return (
    <section className="kern-stack dn-section" aria-labelledby="reports">
      <h2 className="kern-heading-medium" id="reports">
        {t('efa.report.title')}
      </h2>
      {solution.reports.length ? (
        <ul className="dn-card-list">
          {solution.reports.map((r) => (
            <li key={r.id} className="dn-comment">
              <p className="kern-body">
                <strong>{r.municipality_name}</strong>
                {r.author_name ? ` · ${r.author_name}` : ''} · {formatDateTime(r.created_at, locale)}
              </p>
              <Stars rating={r.rating} />
              <div className="dn-rich-text" dangerouslySetInnerHTML={{ __html: r.body_html }} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('efa.report.none')}</p>
      )}
    </section>
  );
}

function PublishButton({ solution }: { solution: SolutionDetail }) {
  const t = useT();
  const queryClient = useQueryClient();
  const publish = useMutation({
    mutationFn: () => efaApi.publish(solution.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: efaKeys.all });
    },
  });
  return (
    <>
      <button type="button" className="kern-btn kern-btn--primary" disabled={publish.isPending} onClick={() => publish.mutate()}>
        <span className="kern-label">{t('efa.publish')}</span>
      </button>
      {publish.isError ? <Alert variant="danger" title={problemMessage(t, publish.error)} /> : null}
    </>
  );
}

/** Navigation state telling the solution page that the editor just saved it. */
export interface SolutionSavedState {
  solutionSaved?: 'created' | 'updated';
}

function SolutionView({ solution }: { solution: SolutionDetail }) {
  const t = useT();
  const me = useMe();
  const saved = (useLocation().state as SolutionSavedState | null)?.solutionSaved;
  return (
    <div className="kern-stack-lg">
      <PageHeading>{solution.name}</PageHeading>
      <StatusMessage message={saved ? t(saved === 'created' ? 'efa.saved.created' : 'efa.saved.updated') : null} />
      {!solution.published ? <Alert variant="info" title={t('efa.draftNotice')} /> : null}
      <p className="kern-body kern-body--large dn-pre-line">{solution.description}</p>
      <div className="kern-btn-wrapper dn-actions">
        <Link to={routes.efa} className="kern-btn kern-btn--tertiary">
          <span className="kern-icon kern-icon--arrow-back" aria-hidden="true" />
          <span className="kern-label">{t('efa.back')}</span>
        </Link>
        {solution.can_edit ? (
          <Link to={routes.editEfaSolution(solution.id)} className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--edit" aria-hidden="true" />
            <span className="kern-label">{t('efa.edit')}</span>
          </Link>
        ) : null}
        {!solution.published && can.editSolutions(me) ? <PublishButton solution={solution} /> : null}
      </div>
      <section className="kern-stack" aria-labelledby="facts">
        <h2 className="kern-heading-medium" id="facts">
          {t('efa.facts')}
        </h2>
        <Facts solution={solution} />
      </section>
      <OwnAdoption solution={solution} />
      <Adoptions solution={solution} />
      <UsageSection solutionId={solution.id} />
      <Reports solution={solution} />
    </div>
  );
}

export function SolutionPage() {
  const { id = '' } = useParams();
  const solution = useSolution(id);
  return <QueryState query={solution}>{(s) => <SolutionView solution={s} />}</QueryState>;
}
