// Facts of a project as a description list, and the server-sanitised description.
import type { ReactNode } from 'react';
import { useI18n } from '@/lib/i18n';
import { formatEuro } from '@/lib/money';
import { StatusBadge } from './StatusBadge';
import type { Project } from './types';

function formatDate(value: string | null | undefined, locale: 'de' | 'en'): string {
  if (!value) return '–';
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return value;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

export function ProjectFacts({ project }: { project: Project }) {
  const { t, locale } = useI18n();
  const rows: [string, ReactNode][] = [
    [t('field.municipality'), project.municipality.name],
    [t('projects.field.status'), <StatusBadge key="s" status={project.status} />],
    [t('projects.field.visibility'), t(`projects.visibility.${project.visibility}`)],
    [t('projects.field.topics'), project.topics.map((x) => x.name).join(', ') || '–'],
    [t('projects.field.tags'), project.tags.join(', ') || '–'],
    [
      t('projects.field.ozg'),
      project.ozg_services.length ? (
        <ul className="dn-plain-list" key="o">
          {project.ozg_services.map((s) => (
            <li key={s.ozg_id}>
              {s.name} ({t('projects.ozg.id', { id: s.ozg_id })})
            </li>
          ))}
        </ul>
      ) : (
        '–'
      ),
    ],
    [
      t('projects.field.period'),
      project.planned_start || project.planned_end
        ? t('projects.period', {
            start: formatDate(project.planned_start, locale),
            end: formatDate(project.planned_end, locale),
          })
        : '–',
    ],
    [t('projects.field.budget'), formatEuro(project.budget_cents, locale)],
    [
      t('projects.field.contact'),
      project.contact_email ? (
        <a key="c" className="kern-link" href={`mailto:${project.contact_email}`}>
          {project.contact_name || project.contact_email}
        </a>
      ) : (
        project.contact_name || '–'
      ),
    ],
  ];
  return (
    <dl className="kern-description-list">
      {rows.map(([key, value]) => (
        <div className="kern-description-list-item" key={key}>
          <dt className="kern-description-list-item__key">{key}</dt>
          <dd className="kern-description-list-item__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The description as HTML — only ever from the server-sanitised `description_html`. */
export function ProjectDescription({ project }: { project: Project }) {
  const { t } = useI18n();
  if (!project.description_html.trim()) return <p className="kern-body">{t('projects.noDescription')}</p>;
  return <div className="kern-body dn-rich-text" dangerouslySetInnerHTML={{ __html: project.description_html }} />;
}
