// /prozesse/:id: a register entry in sections — Steckbrief, Zuständigkeiten je Gemeinde, Modelle,
// Wissensseite + Anhänge, Profile, Notfallkarte.
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { PageHeading, QueryState, SelectField, StatusMessage } from '@/components';
import { can, useMe } from '@/lib/auth';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { Models } from './Models';
import { ProcessNav } from './ProcessNav';
import { Profiles } from './Profiles';
import { useProcess, useTowns } from './queries';
import { Knowledge, Offices, Section, Steckbrief } from './sections';
import type { Process } from './types';
import './processes.css';

/** Navigation state from the editor: the entry was just created or saved. */
export interface ProcessSavedState {
  processSaved?: 'created' | 'updated';
}

/** Continuity sheets are the town's own (and the coordinator's): a link to the own town's, or a town picker. */
function Continuity({ process }: { process: Process }) {
  const t = useT();
  const me = useMe();
  const district = can.worksForDistrict(me);
  const towns = useTowns(me.district?.id);
  const options = (towns.data?.items ?? []).filter((m) => m.kind !== 'district_administration');
  const [chosen, setChosen] = useState('');
  const townId = district ? chosen || options[0]?.id || '' : (me.municipality?.id ?? '');
  const townName = district ? options.find((m) => m.id === townId)?.name : me.municipality?.name;
  return (
    <Section id="continuity" title={t('processes.section.continuity')} intro={t('processes.continuity.sectionIntro')}>
      {district ? (
        <div className="dn-filters">
          <SelectField label={t('field.municipality')} value={townId} options={options.map((m) => ({ value: m.id, label: m.name }))} onChange={(e) => setChosen(e.target.value)} />
        </div>
      ) : null}
      {townId ? (
        <p className="kern-body">
          <Link className="kern-link" to={routes.processContinuity(process.id, townId)}>
            {t('processes.continuity.open', { town: townName ?? '' })}
          </Link>
        </p>
      ) : (
        <p className="kern-body">{t('processes.continuity.noTown')}</p>
      )}
    </Section>
  );
}

function ProcessView({ process }: { process: Process }) {
  const t = useT();
  const saved = (useLocation().state as ProcessSavedState | null)?.processSaved;
  return (
    <div className="kern-stack-lg">
      <PageHeading>{process.name}</PageHeading>
      <ProcessNav />
      <StatusMessage message={saved ? t(saved === 'created' ? 'processes.saved.created' : 'processes.saved.updated') : null} />
      {process.can_edit ? (
        <div className="kern-btn-wrapper dn-actions">
          <Link to={routes.editProcess(process.id)} className="kern-btn kern-btn--secondary">
            <span className="kern-icon kern-icon--edit" aria-hidden="true" />
            <span className="kern-label">{t('processes.edit')}</span>
          </Link>
        </div>
      ) : null}
      <Steckbrief process={process} />
      <Offices process={process} />
      <Models process={process} />
      <Knowledge process={process} />
      <Profiles process={process} />
      <Continuity process={process} />
    </div>
  );
}

export function ProcessPage() {
  const { id = '' } = useParams();
  const process = useProcess(id);
  return <QueryState query={process}>{(p) => <ProcessView process={p} />}</QueryState>;
}
