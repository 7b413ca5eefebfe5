// The town a Nutzungsmonitor page is about, and its picker for users without an own town.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { SelectField, useDistrictScope } from '@/components';
import { useMe } from '@/lib/auth';
import { useI18n } from '@/lib/i18n';
import { usageApi } from './api';

export interface TownScope {
  townId: string;
  townName: string;
  /** A select of the district's towns for users without an own town (coordinators, admins). */
  picker: ReactNode;
}

/**
 * The town a page is about: an officer's or member's own town; coordinators and admins choose one of
 * the district's towns (the Kreisverwaltung included: it reports its own services too).
 */
export function useTownScope(): TownScope {
  const { t, locale } = useI18n();
  const me = useMe();
  const own = me.municipality;
  const scope = useDistrictScope();
  const towns = useQuery({
    queryKey: ['municipalities', 'district', scope.districtId ?? null],
    queryFn: () => usageApi.towns(scope.districtId),
    enabled: !own,
    staleTime: 10 * 60 * 1000,
  });
  // "?kommune=<id>" preselects a town (links from the district heat map).
  const [params] = useSearchParams();
  const [chosen, setChosen] = useState(() => params.get('kommune') ?? '');
  if (own) return { townId: own.id, townName: own.name, picker: null };
  const items = [...(towns.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, locale));
  const current = items.find((x) => x.id === chosen) ?? items[0];
  const picker = (
    <>
      {scope.picker}
      {items.length ? (
        <div className="dn-filters">
          <SelectField
            label={t('field.municipality')}
            value={current?.id ?? ''}
            options={items.map((x) => ({ value: x.id, label: x.name }))}
            onChange={(e) => setChosen(e.target.value)}
          />
        </div>
      ) : null}
    </>
  );
  return { townId: current?.id ?? '', townName: current?.name ?? '', picker };
}
