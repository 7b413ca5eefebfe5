// Small files for upload tests, handed to setInputFiles from memory (no temp files).

/** The smallest file the server's content check recognises as a PDF. */
const MINIMAL_PDF = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n';

export function pdfFile(name: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(MINIMAL_PDF) };
}
