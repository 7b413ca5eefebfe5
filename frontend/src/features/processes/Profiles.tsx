// The "Profile" section: per town and year the cases, minutes per case, staff and online share
// (entered, or taken from the Nutzungsmonitor), and the form to enter them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type SyntheticEvent } from 'react';
import { Alert, ErrorSummary, QueryState, SelectField, summaryErrors, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { useI18n, useT } from '@/lib/i18n';
import { processesApi } from './api';
import { PROFILE_ORDER, parseProfile, type ProfileValues as Values } from './inputs';
import { formatFte, formatNumber, fteInput } from './numbers';
import { processKeys, useTowns } from './queries';
import { Section } from './sections';
import type { Process, Profile, ProfileInput } from './types';

function ProfileForm({ process, initial, onDone }: { process: Process; initial: Values; onDone: () => void }) {
  const t = useT();
  const me = useMe();
  const id = useId();
  const queryClient = useQueryClient();
  const district = can.worksForDistrict(me);
  const towns = useTowns(me.district?.id);
  const [values, setValues] = useState<Values>(initial);
  const [localErrors, setLocalErrors] = useState<Partial<Record<string, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const set = (key: keyof Values, value: string) => setValues((v) => ({ ...v, [key]: value }));
  const save = useMutation({
    mutationFn: ({ year, body }: { year: number; body: ProfileInput }) => processesApi.saveProfile(process.id, values.municipality_id, year, body),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: processKeys.part(process.id, 'profiles') });
      onDone();
    },
  });
  const server = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const errors = { ...server, ...localErrors };
  const fid = (f: string) => `${id}-${f}`;
  const labels: Record<string, string> = {
    municipality_id: t('field.municipality'),
    year: t('processes.profiles.year'),
    annual_cases: t('processes.profiles.cases'),
    minutes_per_case: t('processes.profiles.minutes'),
    staff_fte_hundredths: t('processes.profiles.fte'),
    online_share_percent: t('processes.profiles.onlineShare'),
  };
  const summary = summaryErrors<string>(errors, PROFILE_ORDER, fid, (f) => labels[f] ?? f);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const parsed = parseProfile(t, values);
    setLocalErrors(parsed.errors);
    if (parsed.body && parsed.year !== null) save.mutate({ year: parsed.year, body: parsed.body });
    else setAttempt((a) => a + 1);
  };
  const general = save.isError && Object.keys(server).length === 0 ? problemMessage(t, save.error) : null;
  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 className="kern-heading-small" id={`${id}-title`}>
        {t('processes.profiles.enter')}
      </h3>
      <ErrorSummary errors={summary} attempt={attempt} />
      {general ? <Alert variant="danger" title={general} /> : null}
      {district ? (
        <SelectField
          id={fid('municipality_id')}
          label={labels.municipality_id ?? ''}
          value={values.municipality_id}
          error={errors.municipality_id}
          options={[
            { value: '', label: t('processes.chooseTown') },
            ...(towns.data?.items ?? []).filter((m) => m.kind !== 'district_administration').map((m) => ({ value: m.id, label: m.name })),
          ]}
          onChange={(e) => set('municipality_id', e.target.value)}
        />
      ) : null}
      <TextField id={fid('year')} label={labels.year ?? ''} inputMode="numeric" value={values.year} error={errors.year} onChange={(e) => set('year', e.target.value)} />
      <TextField
        id={fid('annual_cases')}
        label={labels.annual_cases ?? ''}
        inputMode="numeric"
        value={values.annual_cases}
        error={errors.annual_cases}
        onChange={(e) => set('annual_cases', e.target.value)}
      />
      <TextField
        id={fid('minutes_per_case')}
        label={labels.minutes_per_case ?? ''}
        inputMode="numeric"
        value={values.minutes_per_case}
        error={errors.minutes_per_case}
        onChange={(e) => set('minutes_per_case', e.target.value)}
      />
      <TextField
        id={fid('staff_fte_hundredths')}
        label={labels.staff_fte_hundredths ?? ''}
        hint={t('processes.profiles.fteHint')}
        optional
        inputMode="decimal"
        value={values.staff_fte}
        error={errors.staff_fte_hundredths}
        onChange={(e) => set('staff_fte', e.target.value)}
      />
      <TextField
        id={fid('online_share_percent')}
        label={labels.online_share_percent ?? ''}
        hint={t('processes.profiles.onlineShareHint')}
        optional
        inputMode="numeric"
        value={values.online_share_percent}
        error={errors.online_share_percent}
        onChange={(e) => set('online_share_percent', e.target.value)}
      />
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{t('processes.profiles.save')}</span>
        </button>
      </div>
    </form>
  );
}

function toValues(p: Profile): Values {
  return {
    municipality_id: p.municipality.id,
    year: String(p.year),
    annual_cases: String(p.annual_cases),
    minutes_per_case: String(p.minutes_per_case),
    staff_fte: fteInput(p.staff_fte_hundredths),
    online_share_percent: p.online_share_percent != null ? String(p.online_share_percent) : '',
  };
}

export function Profiles({ process }: { process: Process }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const profiles = useQuery({ queryKey: processKeys.part(process.id, 'profiles'), queryFn: () => processesApi.profiles(process.id) });
  const blank: Values = {
    municipality_id: can.worksForDistrict(me) ? '' : (me.municipality?.id ?? ''),
    year: String(new Date().getFullYear() - 1),
    annual_cases: '',
    minutes_per_case: '',
    staff_fte: '',
    online_share_percent: '',
  };
  const [editing, setEditing] = useState<{ key: string; values: Values }>({ key: 'new', values: blank });
  const [saved, setSaved] = useState(0);
  return (
    <Section id="profiles" title={t('processes.section.profiles')} intro={t('processes.profiles.intro')}>
      <QueryState query={profiles}>
        {(data) => (
          <>
            {data.items.length === 0 ? (
              <p className="kern-body">{t('processes.profiles.none')}</p>
            ) : (
              <div className="kern-table-responsive">
                <table className="kern-table kern-table--striped">
                  <caption className="kern-sr-only">{t('processes.section.profiles')}</caption>
                  <thead className="kern-table__header">
                    <tr className="kern-table__row">
                      <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('processes.profiles.year')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('processes.profiles.cases')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('processes.profiles.minutes')}</th>
                      <th scope="col" className="kern-table__header kern-table__header--numeric">{t('processes.profiles.fte')}</th>
                      <th scope="col" className="kern-table__header">{t('processes.profiles.onlineShare')}</th>
                      <th scope="col" className="kern-table__header">{t('table.actions')}</th>
                    </tr>
                  </thead>
                  <tbody className="kern-table__body">
                    {data.items.map((p) => (
                      <tr key={`${p.municipality.id}-${p.year}`} className="kern-table__row">
                        <th scope="row" className="kern-table__cell">
                          {p.municipality.name}
                        </th>
                        <td className="kern-table__cell kern-table__cell--numeric">{p.year}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{formatNumber(p.annual_cases, locale)}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{formatNumber(p.minutes_per_case, locale)}</td>
                        <td className="kern-table__cell kern-table__cell--numeric">{formatFte(p.staff_fte_hundredths, locale)}</td>
                        <td className="kern-table__cell">
                          {t('processes.profiles.shareWithSource', {
                            share: formatNumber(p.effective_online_share * 100, locale, 1),
                            source: p.online_share_source_label,
                          })}
                        </td>
                        <td className="kern-table__cell">
                          {p.can_edit ? (
                            <button
                              type="button"
                              className="kern-btn kern-btn--secondary kern-btn--x-small"
                              aria-label={t('action.forItem', { action: t('processes.profiles.edit'), item: `${p.municipality.name} ${p.year}` })}
                              onClick={() => setEditing({ key: `${p.municipality.id}-${p.year}`, values: toValues(p) })}
                            >
                              <span className="kern-icon kern-icon--edit" aria-hidden="true" />
                              <span className="kern-label">{t('processes.profiles.edit')}</span>
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {saved > 0 ? <p className="kern-body" role="status">{t('processes.profiles.saved')}</p> : null}
            {data.can_enter ? (
              <ProfileForm
                key={`${editing.key}-${saved}`}
                process={process}
                initial={editing.values}
                onDone={() => {
                  setEditing({ key: 'new', values: blank });
                  setSaved((s) => s + 1);
                }}
              />
            ) : null}
          </>
        )}
      </QueryState>
    </Section>
  );
}
