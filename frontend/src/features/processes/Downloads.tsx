// Download buttons of the register: the register as CSV (Excel-de) and the continuity sheets of a
// town as one self-contained HTML file for an IT outage.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Alert, SelectField } from '@/components';
import { problemMessage } from '@/lib/api';
import { can, useMe } from '@/lib/auth';
import { saveBlob } from '@/lib/download';
import { useT } from '@/lib/i18n';
import { processesApi } from './api';
import { useTowns } from './queries';

const today = () => new Date().toISOString().slice(0, 10);

export function RegisterCsvButton() {
  const t = useT();
  const download = useMutation({
    mutationFn: processesApi.exportCsv,
    onSuccess: (blob) => saveBlob(new Blob([blob], { type: 'text/csv' }), `prozessregister-${today()}.csv`),
  });
  return (
    <>
      <button type="button" className="kern-btn kern-btn--secondary" disabled={download.isPending} onClick={() => download.mutate()}>
        <span className="kern-icon kern-icon--download" aria-hidden="true" />
        <span className="kern-label">{t('processes.exportCsv')}</span>
      </button>
      {download.isError ? <Alert variant="danger" title={problemMessage(t, download.error)} /> : null}
    </>
  );
}

/** "Offline-Export (HTML)": district users pick the town, everyone else exports their own. */
export function OfflineExport() {
  const t = useT();
  const me = useMe();
  const district = can.worksForDistrict(me) || !me.municipality;
  const towns = useTowns(me.district?.id);
  const [chosen, setChosen] = useState('');
  const options = (towns.data?.items ?? []).filter((m) => m.kind !== 'district_administration');
  const townId = district ? chosen || options[0]?.id || '' : (me.municipality?.id ?? '');
  const townName = district ? options.find((m) => m.id === townId)?.name : me.municipality?.name;
  const download = useMutation({
    mutationFn: () => processesApi.offlineExport(townId),
    onSuccess: (blob) =>
      saveBlob(new Blob([blob], { type: 'text/html' }), `notfallkarten-${(townName ?? 'kommune').toLowerCase().replace(/[^a-z0-9äöüß]+/g, '-')}-${today()}.html`),
  });
  return (
    <section className="kern-stack" aria-labelledby="offline-export">
      <h2 className="kern-heading-small" id="offline-export">
        {t('processes.offline.title')}
      </h2>
      <p className="kern-body">{t('processes.offline.intro')}</p>
      <div className="dn-filters">
        {district ? (
          <SelectField
            label={t('field.municipality')}
            value={townId}
            options={options.map((m) => ({ value: m.id, label: m.name }))}
            onChange={(e) => setChosen(e.target.value)}
          />
        ) : null}
        <div className="kern-btn-wrapper">
          <button type="button" className="kern-btn kern-btn--secondary" disabled={!townId || download.isPending} onClick={() => download.mutate()}>
            <span className="kern-icon kern-icon--download" aria-hidden="true" />
            <span className="kern-label">{t('processes.offline.button')}</span>
          </button>
        </div>
      </div>
      {download.isError ? <Alert variant="danger" title={problemMessage(t, download.error)} /> : null}
    </section>
  );
}
