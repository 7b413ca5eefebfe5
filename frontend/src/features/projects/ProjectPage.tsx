// /projekte/:id: the project with its status, history, partners, updates, attachments, comments and similar projects.
import { useEffect } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { PageHeading, QueryState, StatusMessage } from '@/components';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { Attachments } from './Attachments';
import { ProjectDescription, ProjectFacts } from './ProjectFacts';
import { useProject } from './queries';
import { Comments, FollowButton, Partners, SimilarSection, StatusControl, Timeline, Updates, Versions } from './sections';
import type { Project } from './types';

/** Navigation state from the editor: the project was just created or saved. */
export interface ProjectSavedState {
  projectSaved?: 'created' | 'updated';
}

/** The page's sections, in order; the anchor (`#partner`) keeps the place in links and on reload. */
export const PROJECT_SECTIONS = [
  { id: 'ueberblick', label: 'projects.sections.overview' },
  { id: 'neuigkeiten', label: 'projects.sections.updates' },
  { id: 'partner', label: 'projects.sections.partners' },
  { id: 'dokumente', label: 'projects.sections.documents' },
  { id: 'verlauf', label: 'projects.sections.history' },
] as const;

/** In-page navigation to the sections; the current one is marked, the anchor is scrolled to (also after loading). */
function ProjectSectionNav() {
  const t = useT();
  const { hash } = useLocation();
  const current = hash.replace(/^#/, '');
  useEffect(() => {
    if (!PROJECT_SECTIONS.some((s) => s.id === current)) return;
    const target = document.getElementById(current);
    // Focusing scrolls the section into view and moves screen readers there.
    target?.focus();
  }, [current]);
  return (
    <nav aria-label={t('projects.sections.nav')} className="dn-section-nav">
      <ul className="kern-btn-wrapper">
        {PROJECT_SECTIONS.map((s) => (
          <li key={s.id}>
            <Link
              to={{ hash: `#${s.id}` }}
              className="kern-link"
              aria-current={current === s.id ? 'location' : undefined}
            >
              {t(s.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ProjectView({ project }: { project: Project }) {
  const t = useT();
  const saved = (useLocation().state as ProjectSavedState | null)?.projectSaved;
  return (
    <div className="kern-stack-lg">
      <PageHeading>{project.title}</PageHeading>
      <StatusMessage message={saved ? t(saved === 'created' ? 'projects.saved.created' : 'projects.saved.updated') : null} />
      <p className="kern-body kern-body--large">{project.summary}</p>
      <div className="kern-btn-wrapper dn-actions">
        <FollowButton project={project} />
        {project.can_edit ? (
          <Link to={routes.editProject(project.id)} className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--edit" aria-hidden="true" />
            <span className="kern-label">{t('projects.edit')}</span>
          </Link>
        ) : null}
      </div>
      <ProjectSectionNav />
      <div id="ueberblick" className="kern-stack-lg dn-section-group" tabIndex={-1}>
      <section className="kern-stack" aria-labelledby="facts">
        <h2 className="kern-heading-medium" id="facts">
          {t('projects.facts')}
        </h2>
        <ProjectFacts project={project} />
      </section>
      <section className="kern-stack" aria-labelledby="description">
        <h2 className="kern-heading-medium" id="description">
          {t('projects.form.description')}
        </h2>
        <ProjectDescription project={project} />
      </section>
      {project.can_edit ? <StatusControl project={project} /> : null}
      <SimilarSection project={project} />
      </div>
      <div id="neuigkeiten" className="kern-stack-lg dn-section-group" tabIndex={-1}>
        <Updates project={project} />
        <Comments project={project} />
      </div>
      <div id="partner" className="kern-stack-lg dn-section-group" tabIndex={-1}>
        <Partners project={project} />
      </div>
      <div id="dokumente" className="kern-stack-lg dn-section-group" tabIndex={-1}>
        <Attachments project={project} />
      </div>
      <div id="verlauf" className="kern-stack-lg dn-section-group" tabIndex={-1}>
        <Timeline projectId={project.id} version={project.version} />
        <Versions projectId={project.id} version={project.version} />
      </div>
    </div>
  );
}

export function ProjectPage() {
  const { id = '' } = useParams();
  const project = useProject(id);
  return <QueryState query={project}>{(p) => <ProjectView project={p} />}</QueryState>;
}
