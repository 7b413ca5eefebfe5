// Sections of the project page: status, timeline, versions, partners, updates, comments, similar.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { Alert, QueryState, SelectField, TextAreaField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT, type TFunction } from '@/lib/i18n';
import { projectsApi } from './api';
import { MentionTextarea } from './MentionTextarea';
import { projectKeys, useTopics, useTowns } from './queries';
import { SimilarList } from './SimilarList';
import { StatusBadge } from './StatusBadge';
import { type PartnerRole, type Project, type ProjectStatus } from './types';

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="kern-stack dn-section" aria-labelledby={id}>
      <h2 className="kern-heading-medium" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function who(t: TFunction, name: string | null | undefined, town: string | null | undefined): string {
  const person = name ?? t('projects.someone');
  return town ? `${person} (${town})` : person;
}

export function ErrorLine({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  return <Alert variant="danger" title={problemMessage(t, error)} />;
}

export function StatusControl({ project }: { project: Project }) {
  const t = useT();
  const queryClient = useQueryClient();
  const options = project.next_statuses;
  const [status, setStatus] = useState<ProjectStatus | ''>('');
  const [note, setNote] = useState('');
  const change = useMutation({
    mutationFn: () => projectsApi.changeStatus(project.id, project.version, status as ProjectStatus, note),
    onSuccess: async (saved) => {
      queryClient.setQueryData(projectKeys.detail(project.id), saved);
      setStatus('');
      setNote('');
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
    },
  });
  const err = change.error;
  const fields = err instanceof ApiError ? err.fieldErrors : {};
  const stale = err instanceof ApiError && err.kind === 'precondition-failed';
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (status) change.mutate();
  };
  if (!options.length) return null;
  return (
    <Section id="status-change" title={t('projects.statusChange.title')}>
      {stale ? (
        <Alert variant="danger" title={t('projects.stale.title')}>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => {
              change.reset();
              void queryClient.invalidateQueries({ queryKey: projectKeys.detail(project.id) });
            }}
          >
            <span className="kern-label">{t('projects.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {err && !stale && !fields.status ? <ErrorLine error={err} /> : null}
      {change.isSuccess ? <Alert variant="success" title={t('projects.statusChange.done')} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit}>
        <SelectField
          label={t('projects.statusChange.next')}
          value={status}
          error={fields.status}
          options={[
            { value: '', label: t('projects.statusChange.choose') },
            ...options.map((s) => ({ value: s, label: t(`projects.status.${s}`) })),
          ]}
          onChange={(e) => setStatus(e.target.value as ProjectStatus | '')}
        />
        <TextAreaField
          label={t('projects.statusChange.note')}
          optional
          rows={2}
          value={note}
          error={fields.note}
          onChange={(e) => setNote(e.target.value)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={!status || change.isPending}>
            <span className="kern-label">{t('projects.statusChange.submit')}</span>
          </button>
        </div>
      </form>
    </Section>
  );
}

export function Timeline({ projectId, version }: { projectId: string; version: number }) {
  const { t, locale } = useI18n();
  const timeline = useQuery({
    queryKey: [...projectKeys.part(projectId, 'timeline'), version],
    queryFn: () => projectsApi.timeline(projectId),
  });
  return (
    <Section id="timeline" title={t('projects.timeline.title')}>
      <QueryState query={timeline}>
        {(data) => (
          <ol className="dn-timeline">
            {data.items.map((e, i) => (
              <li key={i} className="dn-timeline__item">
                <p className="kern-body">
                  {e.from_status ? (
                    <>
                      <StatusBadge status={e.from_status} /> <span aria-hidden="true">→</span>
                      <span className="kern-sr-only">{t('projects.to')}</span>{' '}
                    </>
                  ) : null}
                  <StatusBadge status={e.to_status} />
                </p>
                <p className="kern-body kern-body--small">
                  {t('projects.byAt', { name: e.changed_by_name ?? t('projects.someone'), date: formatDateTime(e.changed_at, locale) })}
                </p>
                {e.note ? <p className="kern-body">{e.note}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </Section>
  );
}

/** How many versions (newest first) the page shows before "Ältere Versionen anzeigen". */
export const VERSIONS_SHOWN = 3;

export function Versions({ projectId, version }: { projectId: string; version: number }) {
  const { t, locale } = useI18n();
  const [all, setAll] = useState(false);
  const versions = useQuery({
    queryKey: [...projectKeys.part(projectId, 'versions'), version],
    queryFn: () => projectsApi.versions(projectId),
  });
  return (
    <Section id="versions" title={t('projects.versions.title')}>
      <QueryState query={versions}>
        {(data) => (
          <>
            <ol className="dn-timeline" id="project-versions">
              {(all ? data.items : data.items.slice(0, VERSIONS_SHOWN)).map((v) => (
                <li key={v.version} className="dn-timeline__item">
                  <h3 className="kern-heading-small">
                    {t('projects.versions.version', { version: v.version })}
                  </h3>
                  <p className="kern-body kern-body--small">
                    {t('projects.byAt', { name: v.changed_by_name ?? t('projects.someone'), date: formatDateTime(v.changed_at, locale) })}
                  </p>
                  {v.changes.length ? (
                    <table className="kern-table kern-table--small dn-diff">
                      <caption className="kern-sr-only">{t('projects.versions.caption', { version: v.version })}</caption>
                      <thead className="kern-table__header">
                        <tr className="kern-table__row">
                          <th scope="col" className="kern-table__header">{t('projects.versions.field')}</th>
                          <th scope="col" className="kern-table__header">{t('projects.versions.from')}</th>
                          <th scope="col" className="kern-table__header">{t('projects.versions.to')}</th>
                        </tr>
                      </thead>
                      <tbody className="kern-table__body">
                        {v.changes.map((c) => (
                          <tr key={c.field} className="kern-table__row">
                            <th scope="row" className="kern-table__cell">{c.label}</th>
                            <td className="kern-table__cell dn-diff__from">{c.from_text}</td>
                            <td className="kern-table__cell dn-diff__to">{c.to_text}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    <p className="kern-body">{t('projects.versions.created')}</p>
                  )}
                </li>
              ))}
            </ol>
            {data.items.length > VERSIONS_SHOWN ? (
              <div className="kern-btn-wrapper">
                {/* Only the newest versions by default: each holds a table of changes and a long history made the page needlessly long. */}
                <button
                  type="button"
                  className="kern-btn kern-btn--tertiary"
                  aria-expanded={all}
                  aria-controls="project-versions"
                  onClick={() => setAll((a) => !a)}
                >
                  <span className="kern-label">
                    {all ? t('projects.versions.fewer') : t('projects.versions.older', { count: data.items.length - VERSIONS_SHOWN })}
                  </span>
                </button>
              </div>
            ) : null}
          </>
        )}
      </QueryState>
    </Section>
  );
}

export function Partners({ project }: { project: Project }) {
  const t = useT();
  const me = useMe();
  const queryClient = useQueryClient();
  const towns = useTowns();
  const [town, setTown] = useState('');
  const [role, setRole] = useState<PartnerRole>('interested');
  const myTown = me.municipality?.id;
  const isOwnerSide = project.can_manage_partners;
  const partnerIds = new Set(project.partners.map((p) => p.municipality.id));
  const done = async (saved?: Project) => {
    if (saved && 'version' in saved) queryClient.setQueryData(projectKeys.detail(project.id), saved);
    await queryClient.invalidateQueries({ queryKey: projectKeys.detail(project.id) });
  };
  const add = useMutation({
    mutationFn: (v: { municipalityId: string; role: PartnerRole }) => projectsApi.addPartner(project.id, v.municipalityId, v.role),
    onSuccess: (saved) => {
      setTown('');
      return done(saved);
    },
  });
  const accept = useMutation({
    mutationFn: (municipalityId: string) => projectsApi.acceptPartner(project.id, municipalityId),
    onSuccess: (saved) => done(saved),
  });
  const remove = useMutation({
    mutationFn: (municipalityId: string) => projectsApi.removePartner(project.id, municipalityId),
    onSuccess: () => done(),
  });
  const canAsk = project.can_ask_partnership;
  const candidates = (towns.data?.items ?? []).filter(
    (m) => m.id !== project.municipality.id && !partnerIds.has(m.id) && m.district_id === project.district_id,
  );
  const roleOptions = (['interested', 'committed'] as const).map((r) => ({ value: r, label: t(`projects.partner.role.${r}`) }));

  return (
    <Section id="partners" title={t('projects.partners.title')}>
      <ErrorLine error={add.error ?? accept.error ?? remove.error} />
      {project.partners.length ? (
        <ul className="dn-card-list">
          {project.partners.map((p) => (
            <li key={p.municipality.id} className="dn-partner">
              <span className="kern-body">
                <strong>{p.municipality.name}</strong> – {t(`projects.partner.role.${p.role}`)},{' '}
                <span className={`kern-badge kern-badge--${p.state === 'accepted' ? 'success' : 'warning'}`}>
                  <span className="kern-label kern-label--small">{t(p.state === 'accepted' ? 'projects.partner.state.accepted' : 'projects.partner.state.requested')}</span>
                </span>
              </span>
              {isOwnerSide && p.state === 'requested' ? (
                <button
                  type="button"
                  className="kern-btn kern-btn--primary kern-btn--x-small"
                  disabled={accept.isPending}
                  aria-label={t('action.forItem', { action: t('projects.partner.accept'), item: p.municipality.name })}
                  onClick={() => accept.mutate(p.municipality.id)}
                >
                  <span className="kern-label">{t('projects.partner.accept')}</span>
                </button>
              ) : null}
              {isOwnerSide || p.municipality.id === myTown ? (
                <button
                  type="button"
                  className="kern-btn kern-btn--tertiary kern-btn--x-small"
                  disabled={remove.isPending}
                  aria-label={t('action.forItem', { action: t('projects.remove'), item: p.municipality.name })}
                  onClick={() => remove.mutate(p.municipality.id)}
                >
                  <span className="kern-label">{t('projects.remove')}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="kern-body">{t('projects.partners.none')}</p>
      )}
      {isOwnerSide ? (
        <form
          className="dn-filters"
          aria-label={t('projects.partners.add')}
          onSubmit={(e) => {
            e.preventDefault();
            if (town) add.mutate({ municipalityId: town, role });
          }}
        >
          <SelectField
            label={t('field.municipality')}
            value={town}
            options={[{ value: '', label: t('projects.partners.chooseTown') }, ...candidates.map((m) => ({ value: m.id, label: m.name }))]}
            onChange={(e) => setTown(e.target.value)}
          />
          <SelectField
            label={t('projects.partner.role')}
            value={role}
            options={roleOptions}
            onChange={(e) => setRole(e.target.value as PartnerRole)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--secondary" disabled={!town || add.isPending}>
              <span className="kern-label">{t('projects.partners.add')}</span>
            </button>
          </div>
        </form>
      ) : null}
      {canAsk && myTown ? (
        <form
          className="dn-filters"
          aria-label={t('projects.partners.ask')}
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ municipalityId: myTown, role });
          }}
        >
          <SelectField
            label={t('projects.partner.role')}
            value={role}
            options={roleOptions}
            onChange={(e) => setRole(e.target.value as PartnerRole)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--secondary" disabled={add.isPending}>
              <span className="kern-label">{t('projects.partners.ask')}</span>
            </button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}

export function Updates({ project }: { project: Project }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const updates = useQuery({ queryKey: projectKeys.part(project.id, 'updates'), queryFn: () => projectsApi.updates(project.id) });
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: () => projectsApi.postUpdate(project.id, title.trim(), body),
    onSuccess: async () => {
      setTitle('');
      setBody('');
      await queryClient.invalidateQueries({ queryKey: projectKeys.part(project.id, 'updates') });
    },
  });
  const fields = post.error instanceof ApiError ? post.error.fieldErrors : {};
  return (
    <Section id="updates" title={t('projects.updates.title')}>
      <QueryState query={updates}>
        {(data) => data.items.length === 0 ? <p className="kern-body">{t('projects.updates.none')}</p> : (
          <ul className="dn-card-list">
            {data.items.map((u) => (
              <li key={u.id}>
                <article className="dn-project-card">
                  <h3 className="kern-heading-small">{u.title}</h3>
                  <p className="kern-body kern-body--small">
                    {t('projects.byAt', { name: who(t, u.author_name, u.municipality_name), date: formatDateTime(u.created_at, locale) })}
                  </p>
                  <div className="kern-body dn-rich-text" dangerouslySetInnerHTML={{ __html: u.body_html }} />
                </article>
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      {project.can_edit ? (
        <form
          className="kern-stack"
          noValidate
          aria-labelledby="update-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (title.trim() && body.trim()) post.mutate();
          }}
        >
          <h3 className="kern-heading-small" id="update-form">
            {t('projects.updates.new')}
          </h3>
          {post.error && !Object.keys(fields).length ? <ErrorLine error={post.error} /> : null}
          <TextField label={t('projects.updates.titleField')} value={title} error={fields.title} onChange={(e) => setTitle(e.target.value)} />
          <TextAreaField
            label={t('projects.updates.body')}
            hint={t('projects.description.hint')}
            rows={4}
            value={body}
            error={fields.body}
            onChange={(e) => setBody(e.target.value)}
          />
          <div className="kern-btn-wrapper">
            <button type="submit" className="kern-btn kern-btn--primary" disabled={post.isPending || !title.trim() || !body.trim()}>
              <span className="kern-label">{t('projects.updates.submit')}</span>
            </button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}

export function Comments({ project }: { project: Project }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const comments = useQuery({ queryKey: projectKeys.part(project.id, 'comments'), queryFn: () => projectsApi.comments(project.id) });
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: () => projectsApi.postComment(project.id, body),
    onSuccess: async () => {
      setBody('');
      await queryClient.invalidateQueries({ queryKey: projectKeys.part(project.id, 'comments') });
    },
  });
  const fields = post.error instanceof ApiError ? post.error.fieldErrors : {};
  return (
    <Section id="comments" title={t('projects.comments.title')}>
      <QueryState query={comments}>
        {(data) => data.items.length === 0 ? <p className="kern-body">{t('projects.comments.none')}</p> : (
          <ul className="dn-card-list" data-testid="comments">
            {data.items.map((c) => (
              <li key={c.id} className="dn-comment">
                <p className="kern-body kern-body--small">
                  {t('projects.byAt', { name: who(t, c.author_name, c.municipality_name), date: formatDateTime(c.created_at, locale) })}
                </p>
                <div className="kern-body dn-rich-text" dangerouslySetInnerHTML={{ __html: c.body_html }} />
              </li>
            ))}
          </ul>
        )}
      </QueryState>
      <form
        className="kern-stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (body.trim()) post.mutate();
        }}
      >
        {post.error && !Object.keys(fields).length ? <ErrorLine error={post.error} /> : null}
        <MentionTextarea projectId={project.id} label={t('projects.comments.new')} value={body} error={fields.body} onChange={setBody} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={post.isPending || !body.trim()}>
            <span className="kern-label">{t('projects.comments.submit')}</span>
          </button>
        </div>
      </form>
    </Section>
  );
}

export function FollowButton({ project }: { project: Project }) {
  const t = useT();
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: () => (project.following ? projectsApi.unfollow(project.id) : projectsApi.follow(project.id)),
    onSuccess: () => {
      queryClient.setQueryData<Project>(projectKeys.detail(project.id), (old) =>
        old ? { ...old, following: !project.following, follower_count: old.follower_count + (project.following ? -1 : 1) } : old,
      );
    },
  });
  return (
    <>
      <button
        type="button"
        className={`kern-btn ${project.following ? 'kern-btn--secondary' : 'kern-btn--primary'}`}
        aria-pressed={project.following}
        disabled={toggle.isPending}
        onClick={() => toggle.mutate()}
      >
        <span className="kern-label">{project.following ? t('projects.unfollow') : t('projects.follow')}</span>
      </button>
      <span className="kern-body kern-body--small">{t(project.follower_count === 1 ? 'projects.followers.one' : 'projects.followers', { count: project.follower_count })}</span>
      {toggle.isError ? <ErrorLine error={toggle.error} /> : null}
    </>
  );
}

export function SimilarSection({ project }: { project: Project }) {
  const t = useT();
  const topics = useTopics();
  const similar = useQuery({ queryKey: projectKeys.part(project.id, 'similar'), queryFn: () => projectsApi.similarOf(project.id) });
  const ozgNames = new Map(project.ozg_services.map((s) => [s.ozg_id, s.name]));
  return (
    <Section id="similar" title={t('projects.similar.title')}>
      <QueryState query={similar}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="kern-body">{t('projects.similar.none')}</p>
          ) : (
            <SimilarList items={data.items} topics={topics.data?.items ?? []} ozgNames={ozgNames} />
          )
        }
      </QueryState>
    </Section>
  );
}
