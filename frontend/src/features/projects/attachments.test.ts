import { describe, expect, it } from 'vitest';
import { fileKindKey, fitsSizeLimit, formatFileSize, MAX_ATTACHMENT_BYTES } from './attachments';

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
    expect(fileKindKey('application/pdf')).toBe('projects.attachments.kind.pdf');
    expect(fileKindKey('image/JPEG')).toBe('projects.attachments.kind.jpeg');
    expect(fileKindKey('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(
      'projects.attachments.kind.xlsx',
    );
    expect(fileKindKey('text/plain')).toBe('projects.attachments.kind.other');
  });
});
