// Which programmes fit a district when an application is started: those of other Länder (read
// from the programme's region, else its funder) and expired ones (status "closed") are marked and
// listed after the fitting ones.
import type { TFunction } from '@/lib/i18n';
import type { Programme } from './types';

/** The Länder by the first two digits of the AGS (the district key starts with them). */
const LAENDER: Record<string, { name: string; aliases: string[] }> = {
  '01': { name: 'Schleswig-Holstein', aliases: ['Schleswig-Holstein'] },
  '02': { name: 'Hamburg', aliases: ['Hamburg'] },
  '03': { name: 'Niedersachsen', aliases: ['Niedersachsen'] },
  '04': { name: 'Bremen', aliases: ['Bremen'] },
  '05': { name: 'Nordrhein-Westfalen', aliases: ['Nordrhein-Westfalen', 'NRW'] },
  '06': { name: 'Hessen', aliases: ['Hessen'] },
  '07': { name: 'Rheinland-Pfalz', aliases: ['Rheinland-Pfalz'] },
  '08': { name: 'Baden-Württemberg', aliases: ['Baden-Württemberg'] },
  '09': { name: 'Bayern', aliases: ['Bayern'] },
  '10': { name: 'Saarland', aliases: ['Saarland'] },
  '11': { name: 'Berlin', aliases: ['Berlin'] },
  '12': { name: 'Brandenburg', aliases: ['Brandenburg'] },
  '13': { name: 'Mecklenburg-Vorpommern', aliases: ['Mecklenburg-Vorpommern'] },
  '14': { name: 'Sachsen', aliases: ['Sachsen'] },
  '15': { name: 'Sachsen-Anhalt', aliases: ['Sachsen-Anhalt'] },
  '16': { name: 'Thüringen', aliases: ['Thüringen'] },
};

/** Longest alias first, so "Sachsen-Anhalt" is taken before "Sachsen" can match inside it. */
const ALIASES = Object.entries(LAENDER)
  .flatMap(([code, l]) => l.aliases.map((alias) => ({ code, alias })))
  .sort((a, b) => b.alias.length - a.alias.length);

/** The Land of a district key or AGS ("05762" → "05"), or null for an unknown one. */
export function landOf(key: string | undefined | null): string | null {
  const code = key?.slice(0, 2) ?? '';
  return code in LAENDER ? code : null;
}

export function landName(code: string): string {
  return LAENDER[code]?.name ?? code;
}

/** The Länder named in a text, as codes ("Land NRW" → ["05"]); "Niedersachsen" is not "Sachsen". */
function laenderIn(text: string): string[] {
  let rest = text;
  const found = new Set<string>();
  for (const { code, alias } of ALIASES) {
    const re = new RegExp(`(^|[^\\p{L}])${alias}(?!\\p{L})`, 'u');
    if (re.test(rest)) {
      found.add(code);
      rest = rest.replace(new RegExp(alias, 'gu'), ' ');
    }
  }
  return [...found];
}

/**
 * The Länder a programme is limited to: none for federal or EU programmes and for regions that
 * name no Land ("bundesweit", "Kreis Höxter"); the funder counts only for a Land's own programme.
 */
export function programmeLaender(p: Pick<Programme, 'level' | 'region' | 'funder'>): string[] {
  if (/bundesweit/i.test(p.region)) return [];
  const fromRegion = laenderIn(p.region);
  if (fromRegion.length) return fromRegion;
  return /\bLand\b/.test(p.level) ? laenderIn(p.funder) : [];
}

export interface ProgrammeFit {
  /** Names of the Länder it is limited to when the own Land is not among them, else null. */
  otherLand: string | null;
  expired: boolean;
}

export function programmeFit(p: Pick<Programme, 'level' | 'region' | 'funder' | 'status'>, ownLand: string | null): ProgrammeFit {
  const laender = programmeLaender(p);
  const other = ownLand !== null && laender.length > 0 && !laender.includes(ownLand);
  return { otherLand: other ? laender.map(landName).join(', ') : null, expired: p.status === 'closed' };
}

/** The marks in an option's label: "anderes Land: Bayern", "abgelaufen". */
export function fitMarks(t: TFunction, fit: ProgrammeFit): string[] {
  return [
    ...(fit.otherLand ? [t('funding.form.programmeOtherLand', { land: fit.otherLand })] : []),
    ...(fit.expired ? [t('funding.form.programmeExpired')] : []),
  ];
}

/** The programme select's options: fitting ones first, then other Länder, then expired ones (each marked). */
export function programmeOptions(t: TFunction, programmes: Programme[], ownLand: string | null): { value: string; label: string }[] {
  const rank = (f: ProgrammeFit) => (f.expired ? 2 : 0) + (f.otherLand ? 1 : 0);
  return programmes
    .map((p, index) => ({ p, index, fit: programmeFit(p, ownLand) }))
    .sort((a, b) => rank(a.fit) - rank(b.fit) || a.index - b.index)
    .map(({ p, fit }) => {
      const marks = fitMarks(t, fit);
      return { value: p.id, label: marks.length ? t('funding.form.programmeOption', { name: p.name, marks: marks.join(', ') }) : p.name };
    });
}
