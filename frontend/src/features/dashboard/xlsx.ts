// Chart data as an Excel workbook for people: numbers stay numbers, names stay text
// (never a formula), the header row is bold and stays in view when scrolling.
import writeExcelFile, { type Cell, type SheetData } from 'write-excel-file/universal';
import type { CsvCell } from './csv';
import { saveBlob } from '@/lib/download';

function cell(value: CsvCell): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return { type: Number, value };
  return { type: String, value };
}

export function toSheet(header: string[], rows: CsvCell[][]): SheetData {
  return [header.map((h) => ({ type: String, value: h, fontWeight: 'bold' as const })), ...rows.map((r) => r.map(cell))];
}

export async function toXlsx(header: string[], rows: CsvCell[][]): Promise<Blob> {
  return writeExcelFile(toSheet(header, rows), { stickyRowsCount: 1 }).toBlob();
}

export async function downloadXlsx(filename: string, header: string[], rows: CsvCell[][]): Promise<void> {
  saveBlob(await toXlsx(header, rows), filename);
}
