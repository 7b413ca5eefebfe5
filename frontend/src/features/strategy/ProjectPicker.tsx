// Link projects to a measure: search GET /projects?q=, add and remove with buttons.
import { SearchPicker } from '@/components';
import { useT } from '@/lib/i18n';
import { strategyApi } from './api';

export interface ProjectChoice {
  id: string;
  title: string;
}

interface Props {
  value: ProjectChoice[];
  onChange: (value: ProjectChoice[]) => void;
  error?: string;
}

export function ProjectPicker({ value, onChange, error }: Props) {
  const t = useT();
  return (
    <SearchPicker
      value={value}
      onChange={onChange}
      error={error}
      optional
      texts={{
        legend: t('strategy.measure.projects'),
        hint: t('strategy.measure.projectsHint'),
        chosen: t('strategy.measure.projectsChosen'),
        none: t('strategy.measure.noProjects'),
        search: t('strategy.measure.projectSearch'),
        noResults: t('strategy.measure.noProjectResults'),
        results: t('strategy.measure.projectResults'),
        remove: t('strategy.remove'),
        add: t('strategy.add'),
        added: t('strategy.added'),
      }}
      queryKey={['projects', 'picker']}
      search={strategyApi.projects}
      keyOf={(p) => p.id}
      toChoice={(p) => ({ id: p.id, title: p.title })}
      nameOf={(p) => p.title}
      chipLabel={(p) => p.title}
      resultLabel={(p) => `${p.title} (${p.municipality.name})`}
    />
  );
}
