// /verwaltung/benutzer: users with filters and paging; admins and coordinators (de)activate.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, Pagination, PageHeading, QueryState, SelectField, TextField } from '@/components';
import { api, call, type Role } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { useDistrictScope } from '../shared/DistrictScope';
import { useAllMunicipalities } from '../shared/queries';
import { UserRow } from './UserRow';

const LIMIT = 25;
const roles: Role[] = ['admin', 'coordinator', 'officer', 'member'];
type ActiveFilter = 'all' | 'true' | 'false';

export function UsersPage() {
  const t = useT();
  const me = useMe();
  const manage = can.manageUsers(me);
  const { districtId, picker } = useDistrictScope();
  const municipalityId = can.worksForDistrict(me) ? undefined : me.municipality?.id;
  const towns = useAllMunicipalities(districtId);
  const townName = new Map((towns.data?.items ?? []).map((m) => [m.id, m.name]));

  const [role, setRole] = useState<Role | ''>('');
  const [active, setActive] = useState<ActiveFilter>('all');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);

  const users = useQuery({
    queryKey: ['users', districtId ?? null, municipalityId ?? null, role, active, q, page],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/users', {
          params: {
            query: {
              ...(districtId ? { district_id: districtId } : {}),
              ...(municipalityId ? { municipality_id: municipalityId } : {}),
              ...(role ? { role } : {}),
              ...(active !== 'all' ? { active: active === 'true' } : {}),
              ...(q ? { q } : {}),
              page,
              limit: LIMIT,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const applySearch = (e: SyntheticEvent) => {
    e.preventDefault();
    setQ(search.trim());
    setPage(1);
  };

  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('users.title')}</PageHeading>
      {!manage ? <Alert variant="info" title={t('users.readOnly')} /> : null}
      {picker}
      <form className="dn-filters" role="search" aria-label={t('users.filters')} onSubmit={applySearch}>
        <SelectField
          label={t('field.role')}
          value={role}
          options={[{ value: '', label: t('filter.all') }, ...roles.map((r) => ({ value: r, label: t(`role.${r}`) }))]}
          onChange={(e) => {
            setRole(e.target.value as Role | '');
            setPage(1);
          }}
        />
        <SelectField
          label={t('users.status')}
          value={active}
          options={[
            { value: 'all', label: t('filter.all') },
            { value: 'true', label: t('users.active') },
            { value: 'false', label: t('users.inactive') },
          ]}
          onChange={(e) => {
            setActive(e.target.value as ActiveFilter);
            setPage(1);
          }}
        />
        <TextField label={t('users.search')} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--search" aria-hidden="true" />
            <span className="kern-label">{t('action.search')}</span>
          </button>
        </div>
      </form>
      <QueryState query={users} isEmpty={(d) => d.items.length === 0} empty={<p className="kern-body">{t('users.empty')}</p>}>
        {(data) => (
          <>
            <div className="kern-table-responsive">
              <table className="kern-table kern-table--striped">
                <caption className="kern-title">{t('users.caption', { total: data.total })}</caption>
                <thead className="kern-table__header">
                  <tr className="kern-table__row">
                    <th scope="col" className="kern-table__header">{t('field.name')}</th>
                    <th scope="col" className="kern-table__header">{t('field.email')}</th>
                    <th scope="col" className="kern-table__header">{t('field.role')}</th>
                    <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                    <th scope="col" className="kern-table__header">{t('users.status')}</th>
                    {manage ? (
                      <th scope="col" className="kern-table__header kern-table__header--action">{t('table.actions')}</th>
                    ) : null}
                  </tr>
                </thead>
                <tbody className="kern-table__body">
                  {data.items.map((u) => (
                    <UserRow
                      key={u.id}
                      user={u}
                      townName={u.municipality_id ? townName.get(u.municipality_id) : undefined}
                      manage={manage && u.id !== me.id}
                      showActions={manage}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination page={data.page} limit={data.limit} total={data.total} onPageChange={setPage} />
          </>
        )}
      </QueryState>
    </div>
  );
}
