// Attachment helpers: accepted types, the 20 MB limit, sizes in words.
import type { Locale, MessageKey } from '@/lib/i18n';

/** The server's limit (`MAX_BYTES` in src/projects/attachments.rs): 20 MiB. */
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
  'application/pdf': 'projects.attachments.kind.pdf',
  'application/vnd.oasis.opendocument.text': 'projects.attachments.kind.odt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'projects.attachments.kind.docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'projects.attachments.kind.xlsx',
  'image/png': 'projects.attachments.kind.png',
  'image/jpeg': 'projects.attachments.kind.jpeg',
};

/** The message key naming a content type in words ("PDF", "PNG-Bild", …). */
export function fileKindKey(contentType: string): MessageKey {
  return typeKeys[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'projects.attachments.kind.other';
}
