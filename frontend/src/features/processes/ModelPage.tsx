// /prozesse/:id/modelle/:modelId: one BPMN model in the viewer; a town's variant also side by side
// with its reference, the differences highlighted and listed for the town's reasons.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, PageHeading, QueryState, SelectField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { processesApi } from './api';
import { BpmnDiagram } from './BpmnDiagram';
import { changeKey, countByChange, differenceText, markersFor, stateKey } from './diff';
import { modelTitle } from './Models';
import { processKeys, useModels, useProcess } from './queries';
import { differenceStates, type Comparison, type Difference, type DifferenceState, type Process, type ProcessModel } from './types';
import './processes.css';

function ActivityList({ model, id }: { model: ProcessModel; id: string }) {
  const t = useT();
  return (
    <details className="dn-details">
      <summary className="kern-body">{t('processes.viewer.activities', { count: model.activities.length })}</summary>
      <ol className="kern-body" aria-labelledby={id}>
        {model.activities.map((a) => (
          <li key={a.id}>{a.name || a.id}</li>
        ))}
      </ol>
    </details>
  );
}

function Legend() {
  const t = useT();
  return (
    <ul className="dn-bpmn-legend" aria-label={t('processes.compare.legend')}>
      {(['added', 'renamed', 'removed'] as const).map((c) => (
        <li key={c} className="kern-body">
          <span className={`dn-bpmn-legend__swatch dn-bpmn-legend__swatch--${c}`} aria-hidden="true" />
          {t(`processes.compare.legend.${c}`)}
        </li>
      ))}
    </ul>
  );
}

function DifferenceRow({ processId, modelId, difference }: { processId: string; modelId: string; difference: Difference }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState(difference.reason);
  const [state, setState] = useState<DifferenceState>(difference.state);
  const save = useMutation({
    mutationFn: () => processesApi.updateDifference(processId, difference.id, reason.trim(), state),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: processKeys.part(processId, 'comparison', modelId) });
    },
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const text = differenceText(t, difference);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <tr className="kern-table__row" data-testid={`difference-${difference.activity_id}`}>
      <td className="kern-table__cell">{t(changeKey(difference.change))}</td>
      <th scope="row" className="kern-table__cell">
        {text}
      </th>
      <td className="kern-table__cell" colSpan={difference.can_edit ? 2 : 1}>
        {difference.can_edit ? (
          <form className="dn-inline-form" noValidate onSubmit={submit} aria-label={t('processes.compare.editFor', { activity: text })}>
            <TextField label={t('processes.compare.reason')} value={reason} error={fieldErrors.reason} onChange={(e) => setReason(e.target.value)} />
            <SelectField
              label={t('processes.compare.state')}
              value={state}
              error={fieldErrors.state}
              options={differenceStates.map((s) => ({ value: s, label: t(stateKey(s)) }))}
              onChange={(e) => setState(e.target.value as DifferenceState)}
            />
            <div className="kern-btn-wrapper">
              <button type="submit" className="kern-btn kern-btn--secondary kern-btn--small" disabled={save.isPending}>
                <span className="kern-label">{t('action.save')}</span>
              </button>
            </div>
            {save.isSuccess ? <p className="kern-body kern-body--small" role="status">{t('processes.compare.saved')}</p> : null}
            {save.isError && Object.keys(fieldErrors).length === 0 ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
          </form>
        ) : (
          <>
            <p className="kern-body">{difference.reason.trim() || t('processes.compare.noReason')}</p>
          </>
        )}
      </td>
      {difference.can_edit ? null : <td className="kern-table__cell">{t(stateKey(difference.state))}</td>}
    </tr>
  );
}

function DifferencesTable({ processId, comparison }: { processId: string; comparison: Comparison }) {
  const t = useT();
  const counts = countByChange(comparison.differences);
  if (comparison.differences.length === 0) return <p className="kern-body">{t('processes.compare.none')}</p>;
  return (
    <div className="kern-stack">
      <p className="kern-body" data-testid="difference-counts">
        {t('processes.compare.counts', counts)}
      </p>
      <div className="kern-table-responsive">
        <table className="kern-table">
          <caption className="kern-sr-only">{t('processes.compare.tableCaption')}</caption>
          <thead className="kern-table__header">
            <tr className="kern-table__row">
              <th scope="col" className="kern-table__header">{t('processes.compare.change')}</th>
              <th scope="col" className="kern-table__header">{t('processes.compare.activity')}</th>
              <th scope="col" className="kern-table__header">{t('processes.compare.reason')}</th>
              <th scope="col" className="kern-table__header">{t('processes.compare.state')}</th>
            </tr>
          </thead>
          <tbody className="kern-table__body">
            {comparison.differences.map((d) => (
              <DifferenceRow key={d.id} processId={processId} modelId={comparison.local.id} difference={d} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ComparisonView({ process, model }: { process: Process; model: ProcessModel }) {
  const t = useT();
  const comparison = useQuery({
    queryKey: processKeys.part(process.id, 'comparison', model.id),
    queryFn: () => processesApi.comparison(process.id, model.id),
  });
  return (
    <QueryState query={comparison}>
      {(c) => (
        <div className="kern-stack-lg">
          <Legend />
          <div className="dn-compare">
            <section className="kern-stack" aria-labelledby="compare-local">
              <h2 className="kern-heading-medium" id="compare-local">
                {modelTitle(t, c.local)}
              </h2>
              <BpmnDiagram
                processId={process.id}
                modelId={c.local.id}
                label={t('processes.viewer.diagram', { name: modelTitle(t, c.local) })}
                markers={markersFor(c.differences, 'local')}
                testId="bpmn-local"
              />
              <ActivityList model={c.local} id="compare-local" />
            </section>
            <section className="kern-stack" aria-labelledby="compare-reference">
              <h2 className="kern-heading-medium" id="compare-reference">
                {modelTitle(t, c.reference)}
              </h2>
              <BpmnDiagram
                processId={process.id}
                modelId={c.reference.id}
                label={t('processes.viewer.diagram', { name: modelTitle(t, c.reference) })}
                markers={markersFor(c.differences, 'reference')}
                testId="bpmn-reference"
              />
              <ActivityList model={c.reference} id="compare-reference" />
            </section>
          </div>
          <section className="kern-stack" aria-labelledby="differences">
            <h2 className="kern-heading-medium" id="differences">
              {t('processes.compare.title')}
            </h2>
            <p className="kern-body">{t('processes.compare.intro')}</p>
            <DifferencesTable processId={process.id} comparison={c} />
          </section>
        </div>
      )}
    </QueryState>
  );
}

function ModelView({ process, model }: { process: Process; model: ProcessModel }) {
  const t = useT();
  const title = modelTitle(t, model);
  return (
    <div className="kern-stack-lg">
      <PageHeading>{`${process.name}: ${title}`}</PageHeading>
      <p className="kern-body">
        <Link className="kern-link" to={routes.process(process.id)}>
          {t('processes.backToProcess', { name: process.name })}
        </Link>
      </p>
      {model.kind === 'local' ? (
        <ComparisonView process={process} model={model} />
      ) : (
        <section className="kern-stack" aria-labelledby="model-diagram">
          <h2 className="kern-heading-medium" id="model-diagram">
            {t('processes.viewer.title')}
          </h2>
          <BpmnDiagram processId={process.id} modelId={model.id} label={t('processes.viewer.diagram', { name: title })} testId="bpmn-model" />
          <ActivityList model={model} id="model-diagram" />
        </section>
      )}
    </div>
  );
}

export function ModelPage() {
  const t = useT();
  const { id = '', modelId = '' } = useParams();
  const process = useProcess(id);
  const models = useModels(id);
  return (
    <QueryState query={process}>
      {(p) => (
        <QueryState query={models}>
          {(list) => {
            const model = list.items.find((m) => m.id === modelId);
            return model ? <ModelView process={p} model={model} /> : <Alert variant="danger" title={t('processes.model.notFound')} />;
          }}
        </QueryState>
      )}
    </QueryState>
  );
}
