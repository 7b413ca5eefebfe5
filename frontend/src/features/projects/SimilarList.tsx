// Similar projects of other towns with the reasons why they match.
import { Link } from 'react-router';
import { useT, type TFunction } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { StatusBadge } from './StatusBadge';
import { readReason, type SimilarProject, type SimilarReason, type Topic } from './types';

export function reasonText(t: TFunction, reason: SimilarReason, topics: Topic[], ozgNames: Map<number, string>): string {
  switch (reason.kind) {
    case 'shared_ozg_service': {
      const name = ozgNames.get(reason.ozg_id);
      return t('projects.reason.shared_ozg_service', {
        name: name ? `${name} (${reason.ozg_id})` : t('projects.ozg.id', { id: reason.ozg_id }),
      });
    }
    case 'shared_topic': {
      const topic = reason.topic;
      const name = topics.find((x) => x.id === topic)?.name ?? topic;
      return t('projects.reason.shared_topic', { name });
    }
    case 'similar_words':
      return t('projects.reason.similar_words', { words: reason.words.join(', ') });
  }
}

interface Props {
  items: SimilarProject[];
  topics: Topic[];
  ozgNames?: Map<number, string>;
  /** Open links in a new tab (the editor must not lose the user's text). */
  newTab?: boolean;
}

export function SimilarList({ items, topics, ozgNames = new Map(), newTab }: Props) {
  const t = useT();
  return (
    <ul className="dn-card-list">
      {items.map(({ project, reasons: raw }) => {
        const reasons = raw.map(readReason).filter((r): r is SimilarReason => r !== null);
        return (
          <li key={project.id} className="dn-project-card">
            <h3 className="kern-heading-small dn-project-card__title">
              <Link
                className="kern-link"
                to={routes.project(project.id)}
                {...(newTab ? { target: '_blank', rel: 'noopener' } : {})}
              >
                {project.title}
                {newTab ? <span className="kern-sr-only"> ({t('projects.newTab')})</span> : null}
              </Link>
            </h3>
            <p className="kern-body kern-body--small dn-project-card__meta">
              <span>{project.municipality.name}</span>
              <StatusBadge status={project.status} />
            </p>
            <p className="kern-body">{project.summary}</p>
            {reasons.length ? (
              <ul className="dn-reasons" aria-label={t('projects.similar.reasons')}>
                {reasons.map((r, i) => (
                  <li key={i} className="kern-body kern-body--small">
                    {reasonText(t, r, topics, ozgNames)}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
