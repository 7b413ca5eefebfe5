// One project in a list: title (link), town, status, visibility, summary, topics.
import { Link } from 'react-router';
import { useI18n } from '@/lib/i18n';
import { formatDateTime } from '@/lib/format';
import { StatusBadge } from './StatusBadge';
import type { ProjectSummary } from './types';

interface Props {
  project: ProjectSummary;
  href: string;
  headingLevel?: 'h2' | 'h3';
}

export function ProjectCard({ project, href, headingLevel = 'h3' }: Props) {
  const { t, locale } = useI18n();
  const Heading = headingLevel;
  return (
    <article className="dn-project-card">
      <Heading className="kern-heading-small dn-project-card__title">
        <Link className="kern-link" to={href}>
          {project.title}
        </Link>
      </Heading>
      <p className="kern-body kern-body--small dn-project-card__meta">
        <span>
          <span className="kern-sr-only">{t('field.municipality')}: </span>
          {project.municipality.name}
        </span>
        <StatusBadge status={project.status} />
        <span>
          <span className="kern-sr-only">{t('projects.field.visibility')}: </span>
          {t(`projects.visibility.${project.visibility}`)}
        </span>
        <span>{t('projects.updatedAt', { date: formatDateTime(project.updated_at, locale) })}</span>
      </p>
      <p className="kern-body">{project.summary}</p>
      {project.topics.length ? (
        <p className="kern-body kern-body--small">
          {t('projects.field.topics')}: {project.topics.map((x) => x.name).join(', ')}
        </p>
      ) : null}
    </article>
  );
}
