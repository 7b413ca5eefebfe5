// The "Anhänge" section of the project page: list, download, delete and upload.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SyntheticEvent } from 'react';
import { Alert, QueryState } from '@/components';
import { ApiError } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { projectsApi } from './api';
import { ATTACHMENT_ACCEPT, fileKindKey, fitsSizeLimit, formatFileSize } from './attachments';
import { projectKeys, saveBlob } from './queries';
import { ErrorLine, Section } from './sections';
import type { Attachment, Project } from './types';

const attachmentsKey = (projectId: string) => projectKeys.part(projectId, 'attachments');

function DeleteAttachment({ projectId, item }: { projectId: string; item: Attachment }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => projectsApi.deleteAttachment(projectId, item.id),
    onSuccess: async () => {
      setAsking(false);
      await queryClient.invalidateQueries({ queryKey: attachmentsKey(projectId) });
    },
  });
  const question = t('projects.attachments.deleteQuestion', { name: item.file_name });
  if (!asking) {
    return (
      <button
        type="button"
        className="kern-btn kern-btn--tertiary kern-btn--x-small"
        aria-label={t('action.forItem', { action: t('projects.attachments.delete'), item: item.file_name })}
        onClick={() => setAsking(true)}
      >
        <span className="kern-icon kern-icon--delete" aria-hidden="true" />
        <span className="kern-label">{t('projects.attachments.delete')}</span>
      </button>
    );
  }
  return (
    <>
      <span className="dn-confirm" role="group" aria-label={question}>
      <span className="kern-body">{question}</span>
      <button
        type="button"
        className="kern-btn kern-btn--primary kern-btn--x-small"
        disabled={remove.isPending}
        onClick={() => remove.mutate()}
      >
        <span className="kern-label">{t('projects.attachments.deleteConfirm')}</span>
      </button>
      <button
        type="button"
        className="kern-btn kern-btn--tertiary kern-btn--x-small"
        onClick={() => {
          remove.reset();
          setAsking(false);
        }}
      >
        <span className="kern-label">{t('action.cancel')}</span>
      </button>
      </span>
      {remove.isError ? <ErrorLine error={remove.error} /> : null}
    </>
  );
}

function AttachmentItem({ projectId, item, canEdit }: { projectId: string; item: Attachment; canEdit: boolean }) {
  const { t, locale } = useI18n();
  const download = useMutation({
    mutationFn: () => projectsApi.downloadAttachment(projectId, item.id),
    onSuccess: (blob) => saveBlob(blob, item.file_name),
  });
  return (
    <li className="dn-partner">
      <div>
        <p className="kern-body">
          <strong>{item.file_name}</strong>
        </p>
        <p className="kern-body kern-body--small">
          {t(fileKindKey(item.content_type))}, {formatFileSize(item.size_bytes, locale)} –{' '}
          {t('projects.byAt', {
            name: item.uploaded_by_name ?? t('projects.someone'),
            date: formatDateTime(item.created_at, locale),
          })}
        </p>
      </div>
      <button
        type="button"
        className="kern-btn kern-btn--secondary kern-btn--x-small"
        disabled={download.isPending}
        aria-label={t('action.forItem', { action: t('projects.attachments.download'), item: item.file_name })}
        onClick={() => download.mutate()}
      >
        <span className="kern-icon kern-icon--download" aria-hidden="true" />
        <span className="kern-label">{t('projects.attachments.download')}</span>
      </button>
      {canEdit ? <DeleteAttachment projectId={projectId} item={item} /> : null}
      {download.isError ? <ErrorLine error={download.error} /> : null}
    </li>
  );
}

/** The upload form: checks the 20 MB limit before sending, shows the server's field error next to the input. */
export function AttachmentUpload({ projectId }: { projectId: string }) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  // A new key empties the (uncontrolled) file input after a successful upload.
  const [inputKey, setInputKey] = useState(0);
  const upload = useMutation({
    mutationFn: (f: File) => projectsApi.uploadAttachment(projectId, f),
    onSuccess: async () => {
      setFile(null);
      setInputKey((k) => k + 1);
      await queryClient.invalidateQueries({ queryKey: attachmentsKey(projectId) });
    },
  });
  const err = upload.error;
  const tooLargeError = t('projects.attachments.tooLarge');
  const serverField =
    err instanceof ApiError ? (err.fieldErrors.file ?? (err.kind === 'payload-too-large' ? tooLargeError : undefined)) : undefined;
  const fieldError = localError ?? serverField;
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    upload.reset();
    if (!file) {
      setLocalError(t('projects.attachments.choose'));
      return;
    }
    if (!fitsSizeLimit(file)) {
      setLocalError(t('projects.attachments.tooLargeSize', { size: formatFileSize(file.size, locale) }));
      return;
    }
    setLocalError(null);
    upload.mutate(file);
  };
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  return (
    <form className="kern-stack" noValidate aria-labelledby={`${inputId}-title`} onSubmit={submit}>
      <h3 className="kern-heading-small" id={`${inputId}-title`}>
        {t('projects.attachments.upload')}
      </h3>
      {err && !serverField ? <ErrorLine error={err} /> : null}
      {upload.isSuccess ? (
        <Alert variant="success" title={t('projects.attachments.uploaded', { name: upload.data.file_name })} />
      ) : null}
      <div className={`kern-form-input${fieldError ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor={inputId}>
          {t('projects.attachments.file')}
        </label>
        <div className="kern-hint" id={hintId}>
          {t('projects.attachments.hint')}
        </div>
        {fieldError ? (
          <p className="kern-error" id={errorId}>
            <span className="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
            <span className="kern-body">{fieldError}</span>
          </p>
        ) : null}
        <input
          key={inputKey}
          id={inputId}
          type="file"
          name="file"
          accept={ATTACHMENT_ACCEPT}
          className={`kern-form-input__input${fieldError ? ' kern-form-input__input--error' : ''}`}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? `${hintId} ${errorId}` : hintId}
          onChange={(e) => {
            const chosen = e.target.files?.[0] ?? null;
            setFile(chosen);
            upload.reset();
            setLocalError(
              chosen && !fitsSizeLimit(chosen)
                ? t('projects.attachments.tooLargeSize', { size: formatFileSize(chosen.size, locale) })
                : null,
            );
          }}
        />
      </div>
      {upload.isPending ? (
        <div className="kern-stack" role="status">
          <span className="kern-body">{t('projects.attachments.uploading', { name: file?.name ?? '' })}</span>
          <progress aria-label={t('projects.attachments.uploading', { name: file?.name ?? '' })} />
        </div>
      ) : null}
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={upload.isPending}>
          <span className="kern-icon kern-icon--drive-folder-upload" aria-hidden="true" />
          <span className="kern-label">{t('projects.attachments.submit')}</span>
        </button>
      </div>
    </form>
  );
}

export function Attachments({ project }: { project: Project }) {
  const t = useT();
  const list = useQuery({ queryKey: attachmentsKey(project.id), queryFn: () => projectsApi.attachments(project.id) });
  return (
    <Section id="attachments" title={t('projects.attachments.title')}>
      <QueryState query={list}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="kern-body">{t('projects.attachments.none')}</p>
          ) : (
            <ul className="dn-card-list" aria-label={t('projects.attachments.title')}>
              {data.items.map((a) => (
                <AttachmentItem key={a.id} projectId={project.id} item={a} canEdit={project.can_edit} />
              ))}
            </ul>
          )
        }
      </QueryState>
      {project.can_edit ? <AttachmentUpload projectId={project.id} /> : null}
    </Section>
  );
}
