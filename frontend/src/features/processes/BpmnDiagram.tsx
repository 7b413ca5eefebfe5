// One BPMN model drawn by bpmn-js (loaded on demand), with zoom buttons and the changed activities
// highlighted. The list of activities next to it (ActivityList) is the text alternative.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { ErrorState, Loading } from '@/components';
import { useT } from '@/lib/i18n';
import { processesApi } from './api';
import type { Marker } from './diff';
import { processKeys } from './queries';
import type { DiagramHandle } from './bpmnRuntime';

interface Props {
  processId: string;
  modelId: string;
  /** Accessible name of the diagram region, e.g. "Referenzmodell, Version 2". */
  label: string;
  markers?: readonly Marker[];
  testId?: string;
}

export function BpmnDiagram({ processId, modelId, label, markers = [], testId }: Props) {
  const t = useT();
  const xml = useQuery({
    queryKey: processKeys.part(processId, 'bpmn', modelId),
    queryFn: () => processesApi.bpmn(processId, modelId),
    staleTime: Infinity,
  });
  const container = useRef<HTMLDivElement>(null);
  const handle = useRef<DiagramHandle | null>(null);
  const [state, setState] = useState<'idle' | 'rendering' | 'done' | 'failed'>('idle');
  const markerKey = markers.map((m) => `${m.elementId}:${m.className}`).join(',');

  useEffect(() => {
    const el = container.current;
    const text = xml.data;
    if (!el || text === undefined) return;
    let cancelled = false;
    setState('rendering');
    import('./bpmnRuntime')
      .then(({ renderDiagram }) => renderDiagram(el, text, markers))
      .then((rendered) => {
        if (cancelled) {
          rendered.handle.destroy();
          return;
        }
        handle.current = rendered.handle;
        setState('done');
      })
      .catch(() => {
        if (!cancelled) setState('failed');
      });
    return () => {
      cancelled = true;
      handle.current?.destroy();
      handle.current = null;
    };
    // `markerKey` stands for `markers` (a new array on every render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [xml.data, markerKey]);

  if (xml.isError) return <ErrorState error={xml.error} onRetry={() => void xml.refetch()} />;
  return (
    <div className="dn-bpmn" data-testid={testId} data-state={state}>
      <div className="kern-btn-wrapper dn-bpmn__tools" role="toolbar" aria-label={t('processes.viewer.tools', { label })}>
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" disabled={state !== 'done'} onClick={() => handle.current?.zoomBy(1.25)}>
          <span className="kern-icon kern-icon--add" aria-hidden="true" />
          <span className="kern-label">{t('processes.viewer.zoomIn')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" disabled={state !== 'done'} onClick={() => handle.current?.zoomBy(0.8)}>
          <span className="kern-icon kern-icon--remove" aria-hidden="true" />
          <span className="kern-label">{t('processes.viewer.zoomOut')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary kern-btn--x-small" disabled={state !== 'done'} onClick={() => handle.current?.fit()}>
          <span className="kern-label">{t('processes.viewer.fit')}</span>
        </button>
      </div>
      {xml.isPending || state === 'rendering' ? <Loading label={t('processes.viewer.loading')} /> : null}
      {state === 'failed' ? (
        <p className="kern-body" role="alert">
          {t('processes.viewer.failed')}
        </p>
      ) : null}
      <div ref={container} className="dn-bpmn__canvas" role="region" aria-label={label} />
    </div>
  );
}
