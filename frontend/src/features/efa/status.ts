// Adoption status as text, colour and icon (the colour is never the only signal), and
// the adoption matrix as rows of cells.
import type { MessageKey, TFunction } from '@/lib/i18n';
import type { AdoptionMatrix, AdoptionStatus, MatrixCell } from './types';

export interface StatusLook {
  /** KERN badge variant. */
  variant: 'info' | 'warning' | 'success' | 'danger';
  /** KERN icon name, a second signal next to the colour. */
  icon: string;
  label: MessageKey;
  /**
   * The same words as `label` with soft hyphens (U+00AD) at the joints of compounds, for the matrix's
   * narrow cells: "Vertrags­abschluss" may break there, and nowhere else inside a word.
   */
  breakable: MessageKey;
}

export const adoptionLook: Record<AdoptionStatus, StatusLook> = {
  interested: { variant: 'info', icon: 'visibility', label: 'efa.adoption.interested', breakable: 'efa.adoption.breakable.interested' },
  evaluating: { variant: 'info', icon: 'search', label: 'efa.adoption.evaluating', breakable: 'efa.adoption.breakable.evaluating' },
  contracting: { variant: 'warning', icon: 'draft', label: 'efa.adoption.contracting', breakable: 'efa.adoption.breakable.contracting' },
  rolling_out: { variant: 'warning', icon: 'autorenew', label: 'efa.adoption.rolling_out', breakable: 'efa.adoption.breakable.rolling_out' },
  live: { variant: 'success', icon: 'check', label: 'efa.adoption.live', breakable: 'efa.adoption.breakable.live' },
  declined: { variant: 'danger', icon: 'close', label: 'efa.adoption.declined', breakable: 'efa.adoption.breakable.declined' },
};

export function adoptionLabel(t: TFunction, status: AdoptionStatus): string {
  return t(adoptionLook[status].label);
}

/**
 * A matrix column's name: the part before a parenthesised long form ("Wohngeld
 * (Online-Wohngeldantrag)" → "Wohngeld"), so the narrow column needs no mid-word breaks.
 */
export function shortSolutionName(name: string): string {
  const cut = name.indexOf(' (');
  return cut >= 3 ? name.slice(0, cut).trim() : name;
}

/** Whether a town may report its experience with a solution. */
export function canReport(status: AdoptionStatus | undefined): boolean {
  return status === 'rolling_out' || status === 'live';
}

export interface MatrixRow {
  town: AdoptionMatrix['towns'][number];
  /** One entry per solution, in the order of `matrix.solutions`; null where the town has no adoption. */
  cells: (MatrixCell | null)[];
}

/** Towns as rows, solutions as columns. */
export function matrixRows(matrix: AdoptionMatrix): MatrixRow[] {
  const byKey = new Map(matrix.cells.map((c) => [`${c.municipality_id}|${c.solution_id}`, c]));
  return matrix.towns.map((town) => ({
    town,
    cells: matrix.solutions.map((s) => byKey.get(`${town.id}|${s.id}`) ?? null),
  }));
}

/** The accessible text of one cell, e.g. "Brakel – eWA: In Betrieb" or "–" for none. */
export function cellText(t: TFunction, cell: MatrixCell | null): string {
  return cell ? adoptionLabel(t, cell.status) : '–';
}
