// Reifegrad: the overall level is the lowest criterion's level (the weakest criterion sets it).
export interface CriterionLevel {
  key: string;
  level: number | null;
}

/** The overall level and the criteria that set it; null while any criterion is still unrated. */
export function overallLevel(criteria: readonly CriterionLevel[]): { level: number; weakest: string[] } | null {
  if (criteria.length === 0 || criteria.some((c) => c.level === null)) return null;
  const level = Math.min(...criteria.map((c) => c.level ?? 0));
  return { level, weakest: criteria.filter((c) => c.level === level).map((c) => c.key) };
}
