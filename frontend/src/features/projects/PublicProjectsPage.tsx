// /oeffentlich/projekte and /oeffentlich/projekte/:id: the public showcase (no login) and its Atom feed.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeading, Pagination, QueryState } from '@/components';
import { useAuth } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { PUBLIC_FEED_URL, projectsApi } from './api';
import { ProjectCard } from './ProjectCard';
import { ProjectDescription, ProjectFacts } from './ProjectFacts';

const LIMIT = 20;

/** Start loading once the session check is over: a failed refresh clears the query cache. */
function useSessionSettled(): boolean {
  return useAuth().status !== 'restoring';
}

function FeedLink() {
  const t = useT();
  return (
    <p className="kern-body">
      <a className="kern-link" href={PUBLIC_FEED_URL} type="application/atom+xml">
        {t('projects.public.feed')}
      </a>
    </p>
  );
}

export function PublicProjectsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const projects = useQuery({
    queryKey: ['public', 'projects', page],
    queryFn: () => projectsApi.publicList(page, LIMIT),
    placeholderData: keepPreviousData,
    enabled: useSessionSettled(),
  });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('projects.public.title')}</PageHeading>
      <p className="kern-body">{t('projects.public.intro')}</p>
      <FeedLink />
      <QueryState query={projects} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('projects.empty')}</p>}>
        {(data) => (
          <section className="kern-stack" aria-labelledby="public-results">
            <h2 className="kern-heading-medium" id="public-results">
              {t(data.total === 1 ? 'projects.results.one' : 'projects.results', { total: data.total })}
            </h2>
            <ul className="dn-card-list">
              {data.items.map((p) => (
                <li key={p.id}>
                  <ProjectCard project={p} href={routes.publicProject(p.id)} />
                </li>
              ))}
            </ul>
            <Pagination
              page={data.page}
              limit={data.limit}
              total={data.total}
              onPageChange={(next) => setParams(next > 1 ? { page: String(next) } : {})}
            />
          </section>
        )}
      </QueryState>
    </div>
  );
}

export function PublicProjectPage() {
  const t = useT();
  const { id = '' } = useParams();
  const settled = useSessionSettled();
  const project = useQuery({
    queryKey: ['public', 'project', id],
    queryFn: () => projectsApi.publicGet(id),
    enabled: settled,
  });
  return (
    <QueryState query={project}>
      {(p) => (
        <div className="kern-stack-lg">
          <PageHeading>{p.title}</PageHeading>
          <p className="kern-body kern-body--large">{p.summary}</p>
          <section className="kern-stack" aria-labelledby="facts">
            <h2 className="kern-heading-medium" id="facts">
              {t('projects.facts')}
            </h2>
            <ProjectFacts project={p} />
          </section>
          <section className="kern-stack" aria-labelledby="description">
            <h2 className="kern-heading-medium" id="description">
              {t('projects.form.description')}
            </h2>
            <ProjectDescription project={p} />
          </section>
          <p className="kern-body">
            <Link className="kern-link" to={routes.publicProjects}>
              {t('projects.public.back')}
            </Link>
          </p>
          <FeedLink />
        </div>
      )}
    </QueryState>
  );
}
