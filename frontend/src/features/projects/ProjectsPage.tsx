// /projekte: search, filters (kept in the URL), sort, paging, CSV export, "Neues Projekt".
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CheckboxField, ExportButtons, PageHeading, Pagination, QueryState, SelectField, TextField } from '@/components';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { projectsApi } from './api';
import { filtersFromSearch, filtersToApiQuery, filtersToSearch, sorts, type ProjectFilters } from './filters';
import { ProjectCard } from './ProjectCard';
import { useTopics, useTowns } from './queries';
import { statuses, visibilities, type ProjectStatus, type Visibility } from './types';

const LIMIT = 20;

export function ProjectsPage() {
  const t = useT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromSearch(params);
  const [search, setSearch] = useState(filters.q);
  const [lastQ, setLastQ] = useState(filters.q);
  if (lastQ !== filters.q) {
    // The URL changed (back button, navigation link): follow it.
    setLastQ(filters.q);
    setSearch(filters.q);
  }
  const towns = useTowns();
  const topics = useTopics();

  const update = (patch: Partial<ProjectFilters>) => {
    setParams(filtersToSearch({ ...filters, page: 1, ...patch }));
  };

  const projects = useQuery({
    queryKey: ['projects', 'list', filtersToSearch(filters).toString()],
    queryFn: () => projectsApi.list(filtersToApiQuery(filters, { limit: LIMIT })),
    placeholderData: keepPreviousData,
  });

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    update({ q: search.trim() });
  };

  const title = filters.mine ? t('projects.mineTitle') : t('projects.title');

  return (
    <div className="kern-stack-lg">
      <PageHeading>{title}</PageHeading>
      <p className="kern-body">{t('projects.intro')}</p>
      {can.createProject(me) ? (
        <div className="kern-btn-wrapper dn-actions">
          <Link to={routes.newProject} className="kern-btn kern-btn--primary">
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{t('projects.new')}</span>
          </Link>
        </div>
      ) : null}
      <ExportButtons
        baseName="projekte"
        csv={() => projectsApi.exportCsv(filtersToApiQuery(filters))}
        xlsx={() => projectsApi.exportXlsx(filtersToApiQuery(filters))}
      />
      <form className="dn-filters" role="search" aria-label={t('projects.filters')} onSubmit={submit}>
        <TextField
          label={t('projects.search')}
          type="search"
          name="q"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--search" aria-hidden="true" />
            <span className="kern-label">{t('action.search')}</span>
          </button>
        </div>
        <SelectField
          label={t('field.municipality')}
          value={filters.municipality_id}
          disabled={filters.mine}
          options={[
            { value: '', label: t('filter.all') },
            ...(towns.data?.items ?? []).map((m) => ({ value: m.id, label: m.name })),
          ]}
          onChange={(e) => update({ municipality_id: e.target.value })}
        />
        <SelectField
          label={t('projects.field.status')}
          value={filters.status}
          options={[
            { value: '', label: t('filter.all') },
            ...statuses.map((s) => ({ value: s, label: t(`projects.status.${s}`) })),
          ]}
          onChange={(e) => update({ status: e.target.value as ProjectStatus | '' })}
        />
        <SelectField
          label={t('projects.field.topic')}
          value={filters.topic}
          options={[
            { value: '', label: t('filter.all') },
            ...(topics.data?.items ?? []).map((x) => ({ value: x.id, label: x.name })),
          ]}
          onChange={(e) => update({ topic: e.target.value })}
        />
        <SelectField
          label={t('projects.field.visibility')}
          value={filters.visibility}
          options={[
            { value: '', label: t('filter.all') },
            ...visibilities.map((v) => ({ value: v, label: t(`projects.visibility.${v}`) })),
          ]}
          onChange={(e) => update({ visibility: e.target.value as Visibility | '' })}
        />
        <SelectField
          label={t('projects.sort')}
          value={filters.sort}
          options={sorts.map((s) => ({ value: s, label: t(`projects.sort.${s}`) }))}
          onChange={(e) => update({ sort: e.target.value as ProjectFilters['sort'] })}
        />
        <CheckboxField
          label={t('projects.onlyMine')}
          checked={filters.mine}
          disabled={!me.municipality}
          onChange={(e) => update({ mine: e.target.checked, municipality_id: '' })}
        />
      </form>
      <QueryState
        query={projects}
        isEmpty={(d) => d.items.length === 0}
        empty={<p className="kern-body">{t('projects.empty')}</p>}
      >
        {(data) => (
          <section className="kern-stack" aria-labelledby="project-results">
            <h2 className="kern-heading-medium" id="project-results" aria-live="polite">
              {t(data.total === 1 ? 'projects.results.one' : 'projects.results', { total: data.total })}
            </h2>
            <ul className="dn-card-list">
              {data.items.map((p) => (
                <li key={p.id}>
                  <ProjectCard project={p} href={routes.project(p.id)} />
                </li>
              ))}
            </ul>
            <Pagination
              page={data.page}
              limit={data.limit}
              total={data.total}
              onPageChange={(page) => setParams(filtersToSearch({ ...filters, page }))}
            />
          </section>
        )}
      </QueryState>
    </div>
  );
}
