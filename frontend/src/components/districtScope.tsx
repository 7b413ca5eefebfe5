// Admins belong to no district: they pick one (GET /districts); everyone else sees their own
// (dashboard, EfA matrix and coverage, strategy).
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, call } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { SelectField } from './Field';

export function useDistrictScope(): { districtId: string | undefined; districtName: string | undefined; picker: ReactNode } {
  const t = useT();
  const me = useMe();
  const pick = can.manageDistricts(me) && !me.district;
  const districts = useQuery({
    queryKey: ['districts'],
    queryFn: () => call(() => api.GET('/api/v1/districts', { params: { query: { limit: 100 } } })),
    enabled: pick,
  });
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  if (!pick) return { districtId: me.district?.id, districtName: me.district?.name, picker: null };
  const items = districts.data?.items ?? [];
  const districtId = chosen ?? items[0]?.id;
  const picker = items.length ? (
    <div className="dn-filters">
      <SelectField
        label={t('field.district')}
        value={districtId ?? ''}
        options={items.map((d) => ({ value: d.id, label: `${d.name} (${d.key})` }))}
        onChange={(e) => setChosen(e.target.value)}
      />
    </div>
  ) : null;
  return { districtId, districtName: items.find((d) => d.id === districtId)?.name, picker };
}
