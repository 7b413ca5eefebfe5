// Query keys of the Nutzungsmonitor pages.

export const usageKeys = {
  all: ['usage'] as const,
  series: (town: string, from: string, to: string, page: number) => ['usage', 'series', town, from, to, page] as const,
  imports: (town: string) => ['usage', 'imports', town] as const,
  manual: (town: string, month: string) => ['usage', 'manual', town, month] as const,
  tokens: (town: string) => ['usage', 'tokens', town] as const,
  district: (district: string, view: string, from: string, to: string, page = 1) => ['usage', 'district', district, view, from, to, page] as const,
  models: ['usage', 'maturity', 'models'] as const,
  matrix: (district: string, model: string) => ['usage', 'maturity', 'matrix', district, model] as const,
  assessments: (town: string, key: string, model: string) => ['usage', 'maturity', 'assessments', town, key, model] as const,
};
