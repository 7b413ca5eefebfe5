// Files of any owner (project, funding application, support request): a list with download and
// delete, and an upload form. The owner's feature passes its API calls in as an AttachmentSource.
import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useId, useState, type ReactNode, type SyntheticEvent } from 'react';
import { problemMessage } from '@/lib/api';
import {
  ATTACHMENT_ACCEPT,
  fileKindKey,
  fitsSizeLimit,
  formatFileSize,
  uploadErrorView,
  type Attachment,
} from '@/lib/attachments';
import { saveBlob } from '@/lib/download';
import { formatDateTime } from '@/lib/format';
import { useI18n, useT } from '@/lib/i18n';
import { Alert } from '../Alert';
import { QueryState } from '../QueryState';

/** The calls for one owner's files; `queryKey` is invalidated after an upload or a delete. */
export interface AttachmentSource {
  queryKey: QueryKey;
  list: () => Promise<{ items: Attachment[] }>;
  /** Multipart upload: the file as `file`, `fields` as further form fields. */
  upload: (file: File, fields: Readonly<Record<string, string>>) => Promise<Attachment>;
  download: (attachmentId: string) => Promise<Blob>;
  remove: (attachmentId: string) => Promise<unknown>;
}

export function useAttachmentList(source: AttachmentSource) {
  // Others add files to the same application or request: always fetch afresh when shown.
  return useQuery({ queryKey: source.queryKey, queryFn: source.list, staleTime: 0 });
}

function ErrorLine({ error }: { error: unknown }) {
  const t = useT();
  return <Alert variant="danger" title={problemMessage(t, error)} />;
}

function DeleteAttachment({ source, item }: { source: AttachmentSource; item: Attachment }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => source.remove(item.id),
    onSuccess: async () => {
      setAsking(false);
      await queryClient.invalidateQueries({ queryKey: source.queryKey });
    },
  });
  const question = t('attachments.deleteQuestion', { name: item.file_name });
  if (!asking) {
    return (
      <button
        type="button"
        className="kern-btn kern-btn--tertiary kern-btn--x-small"
        aria-label={t('action.forItem', { action: t('attachments.delete'), item: item.file_name })}
        onClick={() => setAsking(true)}
      >
        <span className="kern-icon kern-icon--delete" aria-hidden="true" />
        <span className="kern-label">{t('attachments.delete')}</span>
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
          <span className="kern-label">{t('attachments.deleteConfirm')}</span>
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

function AttachmentItem({
  source,
  item,
  canDelete,
  note,
}: {
  source: AttachmentSource;
  item: Attachment;
  canDelete: boolean;
  note?: ReactNode;
}) {
  const { t, locale } = useI18n();
  const download = useMutation({
    mutationFn: () => source.download(item.id),
    onSuccess: (blob) => saveBlob(blob, item.file_name),
  });
  return (
    <li className="dn-partner">
      <div>
        <p className="kern-body">
          <strong>{item.file_name}</strong>
          {note ? <> {note}</> : null}
        </p>
        <p className="kern-body kern-body--small">
          {t(fileKindKey(item.content_type))}, {formatFileSize(item.size_bytes, locale)} –{' '}
          {t('attachments.byAt', {
            name: item.uploaded_by_name ?? t('attachments.someone'),
            date: formatDateTime(item.created_at, locale),
          })}
        </p>
      </div>
      <button
        type="button"
        className="kern-btn kern-btn--secondary kern-btn--x-small"
        disabled={download.isPending}
        aria-label={t('action.forItem', { action: t('attachments.download'), item: item.file_name })}
        onClick={() => download.mutate()}
      >
        <span className="kern-icon kern-icon--download" aria-hidden="true" />
        <span className="kern-label">{t('attachments.download')}</span>
      </button>
      {canDelete ? <DeleteAttachment source={source} item={item} /> : null}
      {download.isError ? <ErrorLine error={download.error} /> : null}
    </li>
  );
}

interface AttachmentListProps {
  source: AttachmentSource;
  items: readonly Attachment[];
  /** Accessible name of the list. */
  label: string;
  canDelete: (item: Attachment) => boolean;
  /** Extra words after the file name (e.g. the checklist item it belongs to). */
  note?: (item: Attachment) => ReactNode;
}

/** The files as a list: type, size, uploader, date, download and (where allowed) delete. */
export function AttachmentList({ source, items, label, canDelete, note }: AttachmentListProps) {
  return (
    <ul className="dn-card-list" aria-label={label}>
      {items.map((a) => (
        <AttachmentItem key={a.id} source={source} item={a} canDelete={canDelete(a)} note={note?.(a)} />
      ))}
    </ul>
  );
}

interface AttachmentUploadProps {
  source: AttachmentSource;
  /** Further multipart fields, e.g. `{ checklist_item_id }`. */
  fields?: Readonly<Record<string, string>>;
  /** The form's heading; `null` leaves it out (the caller labels the form with `label`). */
  title?: string | null;
  /** Accessible name of the form when it has no heading. */
  label?: string;
  /** Label of the file input (default "Datei"). */
  fileLabel?: string;
}

/** The upload form: checks the 20 MB limit before sending, shows the server's field error next to the input. */
export function AttachmentUpload({ source, fields, title, label, fileLabel }: AttachmentUploadProps) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  // A new key empties the (uncontrolled) file input after a successful upload.
  const [inputKey, setInputKey] = useState(0);
  const upload = useMutation({
    mutationFn: (f: File) => source.upload(f, fields ?? {}),
    onSuccess: async () => {
      setFile(null);
      setInputKey((k) => k + 1);
      await queryClient.invalidateQueries({ queryKey: source.queryKey });
    },
  });
  const server = uploadErrorView(upload.error, t('attachments.tooLarge'));
  const fieldError = localError ?? server.field;
  const tooLargeText = (f: File) => t('attachments.tooLargeSize', { size: formatFileSize(f.size, locale) });
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    upload.reset();
    if (!file) {
      setLocalError(t('attachments.choose'));
      return;
    }
    if (!fitsSizeLimit(file)) {
      setLocalError(tooLargeText(file));
      return;
    }
    setLocalError(null);
    upload.mutate(file);
  };
  const titleId = `${inputId}-title`;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const heading = title === undefined ? t('attachments.upload') : title;
  return (
    <form
      className="kern-stack"
      noValidate
      aria-labelledby={heading !== null ? titleId : undefined}
      aria-label={heading === null ? (label ?? t('attachments.upload')) : undefined}
      onSubmit={submit}
    >
      {heading !== null ? (
        <h3 className="kern-heading-small" id={titleId}>
          {heading}
        </h3>
      ) : null}
      {server.other.length ? <Alert variant="danger" title={server.other.join(' ')} /> : null}
      {upload.isError && !server.field && !server.other.length ? <ErrorLine error={upload.error} /> : null}
      {upload.isSuccess ? (
        <Alert variant="success" title={t('attachments.uploaded', { name: upload.data.file_name })} />
      ) : null}
      <div className={`kern-form-input${fieldError ? ' kern-form-input--error' : ''}`}>
        <label className="kern-label" htmlFor={inputId}>
          {fileLabel ?? t('attachments.file')}
        </label>
        <div className="kern-hint" id={hintId}>
          {t('attachments.hint')}
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
            setLocalError(chosen && !fitsSizeLimit(chosen) ? tooLargeText(chosen) : null);
          }}
        />
      </div>
      {upload.isPending ? (
        <div className="kern-stack" role="status">
          <span className="kern-body">{t('attachments.uploading', { name: file?.name ?? '' })}</span>
          <progress aria-label={t('attachments.uploading', { name: file?.name ?? '' })} />
        </div>
      ) : null}
      <div className="kern-btn-wrapper">
        {/* Nothing to upload until a file is chosen (and again after an upload empties the input). */}
        <button type="submit" className="kern-btn kern-btn--primary" disabled={upload.isPending || !file}>
          <span className="kern-icon kern-icon--drive-folder-upload" aria-hidden="true" />
          <span className="kern-label">{t('attachments.submit')}</span>
        </button>
      </div>
    </form>
  );
}

interface AttachmentsPanelProps {
  source: AttachmentSource;
  /** Accessible name of the list (usually the section's heading). */
  label: string;
  /** Shown when there is no file (e.g. "Noch keine Dokumente."). */
  emptyText: string;
  canUpload: boolean;
  canDelete: (item: Attachment) => boolean;
  /** Further multipart fields for every upload. */
  uploadFields?: Readonly<Record<string, string>>;
  note?: (item: Attachment) => ReactNode;
}

/** List (with loading, error and empty states) and, when allowed, the upload form. */
export function AttachmentsPanel({ source, label, emptyText, canUpload, canDelete, uploadFields, note }: AttachmentsPanelProps) {
  const list = useAttachmentList(source);
  return (
    <>
      <QueryState query={list}>
        {(data) =>
          data.items.length === 0 ? (
            <p className="kern-body">{emptyText}</p>
          ) : (
            <AttachmentList source={source} items={data.items} label={label} canDelete={canDelete} note={note} />
          )
        }
      </QueryState>
      {canUpload ? <AttachmentUpload source={source} fields={uploadFields} /> : null}
    </>
  );
}
