import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api';
import {
  attachmentsOf,
  fileKindKey,
  fitsSizeLimit,
  formatFileSize,
  MAX_ATTACHMENT_BYTES,
  mayDeleteAttachment,
  uploadErrorView,
} from './attachments';

describe('formatFileSize', () => {
  it('uses German units and decimal commas', () => {
    expect(formatFileSize(0, 'de')).toBe('0 Byte');
    expect(formatFileSize(512, 'de')).toBe('512 Byte');
    expect(formatFileSize(2048, 'de')).toBe('2 KB');
    expect(formatFileSize(1536, 'de')).toBe('1,5 KB');
    expect(formatFileSize(1.2 * 1024 * 1024, 'de')).toBe('1,2 MB');
    expect(formatFileSize(MAX_ATTACHMENT_BYTES, 'de')).toBe('20 MB');
    expect(formatFileSize(3 * 1024 ** 3, 'de')).toBe('3 GB');
  });

  it('uses decimal points in English', () => {
    expect(formatFileSize(1, 'en')).toBe('1 byte');
    expect(formatFileSize(1.25 * 1024 * 1024, 'en')).toBe('1.3 MB');
  });
});

describe('fitsSizeLimit', () => {
  it('accepts up to exactly 20 MB and refuses one byte more', () => {
    expect(fitsSizeLimit({ size: 1 })).toBe(true);
    expect(fitsSizeLimit({ size: 20 * 1024 * 1024 })).toBe(true);
    expect(fitsSizeLimit({ size: 20 * 1024 * 1024 + 1 })).toBe(false);
  });
});

describe('fileKindKey', () => {
  it('names the accepted types and falls back for others', () => {
    expect(fileKindKey('application/pdf')).toBe('attachments.kind.pdf');
    expect(fileKindKey('image/JPEG')).toBe('attachments.kind.jpeg');
    expect(fileKindKey('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('attachments.kind.xlsx');
    expect(fileKindKey('text/plain')).toBe('attachments.kind.other');
  });
});

describe('mayDeleteAttachment', () => {
  it('follows the server', () => {
    expect(mayDeleteAttachment({ can_delete: true })).toBe(true);
    expect(mayDeleteAttachment({ can_delete: false })).toBe(false);
  });
});

describe('attachmentsOf', () => {
  it('picks the files of one checklist item, or those without one', () => {
    const items = [
      { id: 'a', checklist_item_id: 'c1' },
      { id: 'b', checklist_item_id: null },
      { id: 'c' },
      { id: 'd', checklist_item_id: 'c1' },
    ];
    expect(attachmentsOf(items, 'c1').map((a) => a.id)).toEqual(['a', 'd']);
    expect(attachmentsOf(items, null).map((a) => a.id)).toEqual(['b', 'c']);
    expect(attachmentsOf(items, 'c2')).toEqual([]);
  });
});

describe('uploadErrorView', () => {
  const problem = (status: number, type: string, errors: { field: string; message: string }[] = []) =>
    new ApiError(status, { type, title: type, status, errors });

  it('puts the server message for the file at the input and the others above the form', () => {
    const error = problem(422, 'validation', [
      { field: 'file', message: 'Dieser Dateityp ist nicht erlaubt.' },
      { field: 'checklist_item_id', message: 'Diese Aufgabe ist Ihnen nicht zugewiesen.' },
    ]);
    expect(uploadErrorView(error, 'zu groß')).toEqual({
      field: 'Dieser Dateityp ist nicht erlaubt.',
      other: ['Diese Aufgabe ist Ihnen nicht zugewiesen.'],
    });
  });

  it('shows our own text for 413 and nothing for other failures', () => {
    expect(uploadErrorView(problem(413, 'payload-too-large'), 'zu groß')).toEqual({ field: 'zu groß', other: [] });
    expect(uploadErrorView(problem(403, 'forbidden'), 'zu groß')).toEqual({ field: undefined, other: [] });
    expect(uploadErrorView(new Error('x'), 'zu groß')).toEqual({ other: [] });
  });
});
