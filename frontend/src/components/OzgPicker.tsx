// Pick OZG services (projects, EfA solutions): search the catalogue (GET /ozg/services?q=), add and
// remove with buttons. The owner's feature passes the hint saying what the services are for.
import { api, call, type Schemas } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { SearchPicker } from './SearchPicker';

export type OzgChoice = Schemas['OzgRef'];

interface OzgPickerProps {
  value: OzgChoice[];
  onChange: (value: OzgChoice[]) => void;
  hint: string;
  error?: string;
}

export function OzgPicker({ value, onChange, hint, error }: OzgPickerProps) {
  const t = useT();
  return (
    <SearchPicker
      value={value}
      onChange={onChange}
      error={error}
      texts={{
        legend: t('ozgPicker.legend'),
        hint,
        chosen: t('ozgPicker.chosen'),
        none: t('ozgPicker.none'),
        search: t('ozgPicker.search'),
        noResults: t('ozgPicker.noResults'),
        results: t('ozgPicker.results'),
        remove: t('ozgPicker.remove'),
        add: t('ozgPicker.add'),
        added: t('ozgPicker.added'),
      }}
      queryKey={['ozg', 'services', 'picker']}
      search={(q) => call(() => api.GET('/api/v1/ozg/services', { params: { query: { q, limit: 8 } } }))}
      keyOf={(s) => s.ozg_id}
      toChoice={(s) => ({ ozg_id: s.ozg_id, name: s.name })}
      nameOf={(s) => s.name}
      chipLabel={(s) => `${s.name} (${t('ozgPicker.id', { id: s.ozg_id })})`}
      resultLabel={(s) => `${s.name} (${s.ozg_id})`}
    />
  );
}
