// Admins pick a district; everyone else works in their own.
import { useState } from 'react';
import { SelectField } from '@/components';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { useDistricts } from './queries';

export function useDistrictScope(): { districtId: string | undefined; picker: React.ReactNode } {
  const t = useT();
  const me = useMe();
  const isAdmin = can.manageDistricts(me);
  const districts = useDistricts(isAdmin);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  if (!isAdmin) return { districtId: me.district?.id, picker: null };
  const items = districts.data?.items ?? [];
  const districtId = chosen ?? me.district?.id ?? items[0]?.id;
  const picker =
    items.length > 1 ? (
      <SelectField
        label={t('field.district')}
        value={districtId ?? ''}
        options={items.map((d) => ({ value: d.id, label: `${d.name} (${d.key})` }))}
        onChange={(e) => setChosen(e.target.value)}
      />
    ) : null;
  return { districtId, picker };
}
