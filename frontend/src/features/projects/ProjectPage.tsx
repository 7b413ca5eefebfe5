// /projekte/:id: the project with its status, history, partners, updates, attachments, comments and similar projects.
import { Link, useLocation, useParams } from 'react-router';
import { PageHeading, PageSectionGroup, QueryState, SectionNav, StatusMessage } from '@/components';
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
      <SectionNav label={t('projects.sections.nav')} sections={PROJECT_SECTIONS.map((section) => ({ id: section.id, label: t(section.label) }))} />
      <PageSectionGroup id="ueberblick">
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
      </PageSectionGroup>
      <PageSectionGroup id="neuigkeiten">
        <Updates project={project} />
        <Comments project={project} />
      </PageSectionGroup>
      <PageSectionGroup id="partner">
        <Partners project={project} />
      </PageSectionGroup>
      <PageSectionGroup id="dokumente">
        <Attachments project={project} />
      </PageSectionGroup>
      <PageSectionGroup id="verlauf">
        <Timeline projectId={project.id} version={project.version} />
        <Versions projectId={project.id} version={project.version} />
      </PageSectionGroup>
    </div>
  );
}

export function ProjectPage() {
  const { id = '' } = useParams();
  const project = useProject(id);
  return <QueryState query={project}>{(p) => <ProjectView project={p} />}</QueryState>;
}
