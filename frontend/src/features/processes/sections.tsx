// Sections of the process page: Steckbrief, Zuständigkeiten je Gemeinde, Wissensseite + Anhänge.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Alert, AttachmentsPanel, TextField, type AttachmentSource } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { processKeys } from './queries';
import type { Process, ProcessOffice } from './types';

export function Section({ id, title, children, intro }: { id: string; title: string; intro?: string; children: ReactNode }) {
  return (
    <section className="kern-stack dn-section" aria-labelledby={id}>
      <h2 className="kern-heading-medium" id={id}>
        {title}
      </h2>
      {intro ? <p className="kern-body">{intro}</p> : null}
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}

const orDash = (v: string | null | undefined) => (v?.trim() ? v : '–');

export function Steckbrief({ process }: { process: Process }) {
  const { t, locale } = useI18n();
  return (
    <Section id="steckbrief" title={t('processes.section.profile')}>
      <dl className="kern-description-list">
        <Fact label={t('processes.field.leika')}>{orDash(process.leika_key)}</Fact>
        <Fact label={t('processes.field.ozg')}>{process.ozg_id ?? '–'}</Fact>
        <Fact label={t('processes.field.themenfeld')}>{orDash(process.themenfeld_name)}</Fact>
        <Fact label={t('processes.field.owner')}>{process.owner?.name ?? t('processes.ownerDistrict')}</Fact>
        <Fact label={t('processes.field.legalBasis')}>
          <span className="dn-pre-line">{orDash(process.legal_basis)}</span>
        </Fact>
        <Fact label={t('processes.field.forms')}>
          <span className="dn-pre-line">{orDash(process.forms)}</span>
        </Fact>
        <Fact label={t('processes.field.itSystems')}>{orDash(process.it_systems)}</Fact>
        <Fact label={t('processes.field.efa')}>
          {process.efa_solution_id ? (
            <Link className="kern-link" to={routes.efaSolution(process.efa_solution_id)}>
              {process.efa_solution_name ?? t('processes.efaLink')}
            </Link>
          ) : (
            '–'
          )}
        </Fact>
        <Fact label={t('processes.field.projects')}>
          {process.projects.length ? (
            <ul className="dn-plain-list">
              {process.projects.map((p) => (
                <li key={p.id}>
                  <Link className="kern-link" to={routes.project(p.id)}>
                    {p.title}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            '–'
          )}
        </Fact>
        <Fact label={t('processes.field.visibility')}>{t(`processes.visibility.${process.visibility}`)}</Fact>
        <Fact label={t('processes.field.updated')}>{formatDateTime(process.updated_at, locale)}</Fact>
      </dl>
    </Section>
  );
}

function OfficeRow({ process, office }: { process: Process; office: ProcessOffice }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(office.office);
  const save = useMutation({
    mutationFn: () => processesApi.setOffice(process.id, office.municipality.id, value.trim()),
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: processKeys.process(process.id) });
    },
  });
  const fieldError = save.error instanceof ApiError ? save.error.fieldErrors.office : undefined;
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <tr className="kern-table__row">
      <th scope="row" className="kern-table__cell">
        {office.municipality.name}
      </th>
      <td className="kern-table__cell">
        {editing ? (
          <form className="dn-inline-form" noValidate onSubmit={submit} aria-label={t('processes.offices.editFor', { town: office.municipality.name })}>
            <TextField label={t('processes.offices.office')} value={value} error={fieldError} onChange={(e) => setValue(e.target.value)} />
            <div className="kern-btn-wrapper">
              <button type="submit" className="kern-btn kern-btn--primary kern-btn--small" disabled={save.isPending}>
                <span className="kern-label">{t('action.save')}</span>
              </button>
              <button
                type="button"
                className="kern-btn kern-btn--tertiary kern-btn--small"
                onClick={() => {
                  setEditing(false);
                  setValue(office.office);
                  save.reset();
                }}
              >
                <span className="kern-label">{t('action.cancel')}</span>
              </button>
            </div>
            {save.isError && !fieldError ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
          </form>
        ) : (
          orDash(office.office)
        )}
      </td>
      <td className="kern-table__cell">
        {office.can_edit && !editing ? (
          <button
            type="button"
            className="kern-btn kern-btn--secondary kern-btn--x-small"
            aria-label={t('action.forItem', { action: t('processes.offices.change'), item: office.municipality.name })}
            onClick={() => setEditing(true)}
          >
            <span className="kern-icon kern-icon--edit" aria-hidden="true" />
            <span className="kern-label">{t('processes.offices.change')}</span>
          </button>
        ) : null}
      </td>
    </tr>
  );
}

/** The offices entered, plus an empty row for each town whose office the viewer may set. */
export function officeRows(process: Pick<Process, 'offices' | 'variant_towns'>): ProcessOffice[] {
  const missing = process.variant_towns.filter((town) => !process.offices.some((o) => o.municipality.id === town.id));
  return [...process.offices, ...missing.map((municipality) => ({ municipality, office: '', can_edit: true }))];
}

export function Offices({ process }: { process: Process }) {
  const t = useT();
  const rows = officeRows(process);
  return (
    <Section id="offices" title={t('processes.section.offices')} intro={t('processes.offices.intro')}>
      {rows.length === 0 ? (
        <p className="kern-body">{t('processes.offices.none')}</p>
      ) : (
        <div className="kern-table-responsive">
          <table className="kern-table kern-table--striped">
            <caption className="kern-sr-only">{t('processes.section.offices')}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                <th scope="col" className="kern-table__header">{t('processes.offices.office')}</th>
                <th scope="col" className="kern-table__header">{t('table.actions')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {rows.map((o) => (
                <OfficeRow key={o.municipality.id} process={process} office={o} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

export function processFileSource(processId: string): AttachmentSource {
  return {
    queryKey: processKeys.part(processId, 'files'),
    list: () => processesApi.files(processId),
    upload: (file) => processesApi.uploadFile(processId, file),
    download: (fileId) => processesApi.downloadFile(processId, fileId),
    remove: (fileId) => processesApi.deleteFile(processId, fileId),
  };
}

/** The knowledge page (Markdown, rendered and sanitised by the server) and its attachments. */
export function Knowledge({ process }: { process: Process }) {
  const t = useT();
  return (
    <Section id="knowledge" title={t('processes.section.knowledge')}>
      {process.knowledge_html.trim() ? (
        <div className="kern-body dn-rich-text" dangerouslySetInnerHTML={{ __html: process.knowledge_html }} />
      ) : (
        <p className="kern-body">{t('processes.knowledge.none')}</p>
      )}
      <h3 className="kern-heading-small">{t('processes.knowledge.attachments')}</h3>
      <AttachmentsPanel
        source={processFileSource(process.id)}
        label={t('processes.knowledge.attachments')}
        emptyText={t('processes.knowledge.noAttachments')}
        canUpload={process.can_edit}
        canDelete={(a) => a.can_delete}
      />
    </Section>
  );
}
