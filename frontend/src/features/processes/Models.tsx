// The "Modelle" section: reference versions and the towns' variants, and the BPMN upload.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { Alert, ErrorSummary, Fieldset, QueryState, RadioField, SelectField, summaryErrors } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { formatFileSize } from '@/lib/attachments';
import { saveBlob } from '@/lib/download';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { processKeys, useModels } from './queries';
import { Section } from './sections';
import type { ModelKind, Process, ProcessModel } from './types';

/** The server's limit is checked there; this only spares an obviously hopeless upload. */
export const MAX_BPMN_BYTES = 10 * 1024 * 1024;

export function modelTitle(t: ReturnType<typeof useT>, m: Pick<ProcessModel, 'kind' | 'version_no' | 'municipality'>): string {
  return m.kind === 'reference'
    ? t('processes.model.reference', { version: m.version_no })
    : t('processes.model.local', { town: m.municipality?.name ?? '–', version: m.version_no });
}

function DownloadBpmn({ process, model }: { process: Process; model: ProcessModel }) {
  const t = useT();
  const download = useMutation({
    mutationFn: () => processesApi.bpmnBlob(process.id, model.id),
    onSuccess: (blob) => saveBlob(new Blob([blob], { type: 'application/xml' }), model.file_name.endsWith('.bpmn') ? model.file_name : `${model.file_name}.bpmn`),
  });
  return (
    <>
      <button
        type="button"
        className="kern-btn kern-btn--tertiary kern-btn--x-small"
        disabled={download.isPending}
        aria-label={t('action.forItem', { action: t('processes.model.download'), item: modelTitle(t, model) })}
        onClick={() => download.mutate()}
      >
        <span className="kern-icon kern-icon--download" aria-hidden="true" />
        <span className="kern-label">{t('processes.model.download')}</span>
      </button>
      {download.isError ? <Alert variant="danger" title={problemMessage(t, download.error)} /> : null}
    </>
  );
}

function ModelTable({ process, models }: { process: Process; models: ProcessModel[] }) {
  const { t, locale } = useI18n();
  return (
    <div className="kern-table-responsive">
      <table className="kern-table kern-table--striped">
        <caption className="kern-sr-only">{t('processes.section.models')}</caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header">{t('processes.model.name')}</th>
            <th scope="col" className="kern-table__header">{t('processes.model.file')}</th>
            <th scope="col" className="kern-table__header">{t('processes.model.activities')}</th>
            <th scope="col" className="kern-table__header">{t('processes.model.differences')}</th>
            <th scope="col" className="kern-table__header">{t('processes.model.uploaded')}</th>
            <th scope="col" className="kern-table__header">{t('table.actions')}</th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {models.map((m) => (
            <tr key={m.id} className="kern-table__row">
              <th scope="row" className="kern-table__cell">
                <Link className="kern-link" to={routes.processModel(process.id, m.id)}>
                  {modelTitle(t, m)}
                </Link>
              </th>
              <td className="kern-table__cell">
                {m.file_name} ({formatFileSize(m.size_bytes, locale)})
              </td>
              <td className="kern-table__cell kern-table__cell--numeric">{m.activities.length}</td>
              <td className="kern-table__cell kern-table__cell--numeric">{m.kind === 'local' ? m.difference_count : '–'}</td>
              <td className="kern-table__cell">{formatDateTime(m.created_at, locale)}</td>
              <td className="kern-table__cell">
                <DownloadBpmn process={process} model={m} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const UPLOAD_ORDER = ['kind', 'derived_from', 'municipality_id', 'file'] as const;

function ModelUpload({ process, models }: { process: Process; models: ProcessModel[] }) {
  const t = useT();
  const queryClient = useQueryClient();
  const id = useId();
  const references = models.filter((m) => m.kind === 'reference').sort((a, b) => b.version_no - a.version_no);
  const kinds: ModelKind[] = [...(process.can_edit ? ['reference' as const] : []), ...(process.variant_towns.length ? ['local' as const] : [])];
  const [kind, setKind] = useState<ModelKind>(kinds[0] ?? 'reference');
  const [derivedFrom, setDerivedFrom] = useState('');
  const [town, setTown] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const [localErrors, setLocalErrors] = useState<Partial<Record<string, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const reference = derivedFrom || references[0]?.id || '';
  // The towns the viewer may upload a variant for (the own town, or any town for the district).
  const townOptions = process.variant_towns;
  const townId = town || townOptions[0]?.id || '';
  const upload = useMutation({
    mutationFn: (f: File) => processesApi.uploadModel(process.id, f, kind, kind === 'local' ? reference : null, kind === 'local' ? townId : null),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async () => {
      setFile(null);
      setInputKey((k) => k + 1);
      await queryClient.invalidateQueries({ queryKey: processKeys.part(process.id, 'models') });
    },
  });
  if (kinds.length === 0) return null;
  const server = upload.error instanceof ApiError ? upload.error.fieldErrors : {};
  const tooLarge = upload.error instanceof ApiError && upload.error.kind === 'payload-too-large' ? t('processes.upload.tooLarge') : undefined;
  const errors: Partial<Record<string, string>> = { ...server, ...(tooLarge ? { file: tooLarge } : {}), ...localErrors };
  const general =
    upload.error && Object.keys(server).length === 0 && !tooLarge
      ? upload.error instanceof ApiError && upload.error.problem?.detail
        ? upload.error.problem.detail
        : problemMessage(t, upload.error)
      : null;
  const fieldIds: Record<string, string> = {
    kind: `${id}-kind`,
    derived_from: `${id}-derived`,
    municipality_id: `${id}-town`,
    file: `${id}-file`,
  };
  const labels: Record<string, string> = {
    kind: t('processes.upload.kind'),
    derived_from: t('processes.upload.derivedFrom'),
    municipality_id: t('field.municipality'),
    file: t('processes.upload.file'),
  };
  const summary = summaryErrors<string>(errors, UPLOAD_ORDER, (f) => fieldIds[f] ?? fieldIds.file ?? '', (f) => labels[f] ?? f);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    upload.reset();
    const local: Record<string, string> = {};
    if (!file) local.file = t('processes.upload.choose');
    else if (file.size > MAX_BPMN_BYTES) local.file = t('processes.upload.tooLarge');
    if (kind === 'local' && !reference) local.derived_from = t('processes.upload.noReference');
    setLocalErrors(local);
    if (Object.keys(local).length > 0 || !file) {
      setAttempt((a) => a + 1);
      return;
    }
    upload.mutate(file);
  };
  const fileError = errors.file;
  return (
    <form className="kern-stack" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 className="kern-heading-small" id={`${id}-title`}>
        {t('processes.upload.title')}
      </h3>
      <ErrorSummary errors={summary} attempt={attempt} title={t('processes.upload.failed')} />
      {general ? <Alert variant="danger" title={t('processes.upload.failed')}><p className="kern-body">{general}</p></Alert> : null}
      {upload.isSuccess ? <Alert variant="success" title={t('processes.upload.done', { name: modelTitle(t, upload.data) })} /> : null}
      {kinds.length > 1 ? (
        <Fieldset id={fieldIds.kind} legend={labels.kind ?? ''} error={errors.kind}>
          {kinds.map((k) => (
            <RadioField
              key={k}
              name={`${id}-kind`}
              value={k}
              label={t(`processes.kind.${k}`)}
              hint={t(`processes.kind.${k}.hint`)}
              checked={kind === k}
              onChange={() => setKind(k)}
            />
          ))}
        </Fieldset>
      ) : (
        <p className="kern-body">{t(`processes.kind.${kind}.hint`)}</p>
      )}
      {kind === 'local' ? (
        <>
          <SelectField
            id={fieldIds.derived_from}
            label={labels.derived_from ?? ''}
            value={reference}
            error={errors.derived_from}
            options={references.map((m) => ({ value: m.id, label: modelTitle(t, m) }))}
            onChange={(e) => setDerivedFrom(e.target.value)}
          />
          {townOptions.length > 1 ? (
            <SelectField
              id={fieldIds.municipality_id}
              label={labels.municipality_id ?? ''}
              value={townId}
              error={errors.municipality_id}
              options={townOptions.map((m) => ({ value: m.id, label: m.name }))}
              onChange={(e) => setTown(e.target.value)}
            />
          ) : null}
        </>
      ) : null}
      <div className={`kern-form-input${fileError ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor={fieldIds.file}>
          {labels.file}
        </label>
        <div className="kern-hint" id={`${id}-file-hint`}>
          {t('processes.upload.hint')}
        </div>
        {fileError ? (
          <p className="kern-error" id={`${id}-file-error`}>
            <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span className="kern-body">{fileError}</span>
          </p>
        ) : null}
        <input
          key={inputKey}
          id={fieldIds.file}
          type="file"
          name="file"
          accept=".bpmn,.xml,application/xml,text/xml"
          className={`kern-form-input__input${fileError ? ' kern-form-input__input--error' : ''}`}
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? `${id}-file-hint ${id}-file-error` : `${id}-file-hint`}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setLocalErrors({});
          }}
        />
      </div>
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={upload.isPending || !file}>
          <span className="kern-icon kern-icon--upload" aria-hidden="true" />
          <span className="kern-label">{t('processes.upload.submit')}</span>
        </button>
      </div>
    </form>
  );
}

export function Models({ process }: { process: Process }) {
  const t = useT();
  const models = useModels(process.id);
  return (
    <Section id="models" title={t('processes.section.models')} intro={t('processes.models.intro')}>
      <QueryState query={models}>
        {(data) => (
          <>
            {data.items.length === 0 ? <p className="kern-body">{t('processes.models.none')}</p> : <ModelTable process={process} models={data.items} />}
            <ModelUpload process={process} models={data.items} />
          </>
        )}
      </QueryState>
    </Section>
  );
}
