// Stored files (project attachments, application documents, support attachments): accepted types,
// the 20 MB limit, sizes in words, who may delete, and the upload error shown at the file input.
import { ApiError, type Schemas } from '@/lib/api';
import type { Locale, MessageKey } from '@/lib/i18n';

export type Attachment = Schemas['Attachment'];

/** The server's limit for every upload: 20 MiB. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** For the file picker only; the server checks the content, not the name. */
export const ATTACHMENT_ACCEPT = '.pdf,.odt,.docx,.xlsx,.png,.jpg,.jpeg';

const units = ['KB', 'MB', 'GB'] as const;

/** `1234567` → "1,2 MB" (German) or "1.2 MB" (English); binary steps like the server limit. */
export function formatFileSize(bytes: number, locale: Locale): string {
  const tag = locale === 'de' ? 'de-DE' : 'en-GB';
  if (bytes < 1024) {
    const n = new Intl.NumberFormat(tag).format(Math.max(0, bytes));
    return `${n} ${locale === 'de' ? 'Byte' : bytes === 1 ? 'byte' : 'bytes'}`;
  }
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const n = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 }).format(value);
  return `${n} ${units[unit]}`;
}

/** True when the file is within the upload limit. */
export function fitsSizeLimit(file: Pick<File, 'size'>): boolean {
  return file.size <= MAX_ATTACHMENT_BYTES;
}

const typeKeys: Record<string, MessageKey> = {
  'application/pdf': 'attachments.kind.pdf',
  'application/vnd.oasis.opendocument.text': 'attachments.kind.odt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'attachments.kind.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'attachments.kind.xlsx',
  'image/png': 'attachments.kind.png',
  'image/jpeg': 'attachments.kind.jpeg',
};

/** The message key naming a content type in words ("PDF", "PNG-Bild", …). */
export function fileKindKey(contentType: string): MessageKey {
  return typeKeys[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'attachments.kind.other';
}

/** The server decides who may remove a file (managers, coordinators, the uploader). */
export function mayDeleteAttachment(item: Pick<Attachment, 'can_delete'>): boolean {
  return item.can_delete;
}

/** The files that belong to one checklist item (or, with `null`, to none), in the server's order. */
export function attachmentsOf<T extends Pick<Attachment, 'checklist_item_id'>>(items: readonly T[], checklistItemId: string | null): T[] {
  return items.filter((a) => (a.checklist_item_id ?? null) === checklistItemId);
}

export interface UploadErrorView {
  /** Shown next to the file input (the server's message for `file`, or "too large"). */
  field?: string;
  /** The server's messages for the other fields (e.g. `checklist_item_id`), shown above the form. */
  other: string[];
}

/** Splits an upload failure into the message at the input and the rest; `tooLarge` is our 413 text. */
export function uploadErrorView(error: unknown, tooLarge: string): UploadErrorView {
  if (!(error instanceof ApiError)) return { other: [] };
  const { file, ...rest } = error.fieldErrors;
  const field = file ?? (error.kind === 'payload-too-large' ? tooLarge : undefined);
  return { field, other: Object.values(rest) };
}
