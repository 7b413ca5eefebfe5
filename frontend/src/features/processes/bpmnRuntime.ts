// The BPMN viewer proper (bpmn-js, navigated viewer: pan with the mouse, arrow keys on the focused
// diagram). Loaded with a dynamic import by BpmnDiagram so that neither bpmn-js nor its CSS is in
// the main bundle.
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import type { Marker } from './diff';

interface Canvas {
  zoom(level?: number | 'fit-viewport', center?: 'auto'): number;
  addMarker(elementId: string, className: string): void;
}

interface ElementRegistry {
  get(id: string): unknown;
}

export interface DiagramHandle {
  /** Zooms in (> 1) or out (< 1) by a factor. */
  zoomBy(factor: number): void;
  fit(): void;
  destroy(): void;
}

export interface Rendered {
  handle: DiagramHandle;
  /** Markers whose activity the diagram does not have (shown as a note, not an error). */
  missing: string[];
}

export async function renderDiagram(container: HTMLElement, xml: string, markers: readonly Marker[]): Promise<Rendered> {
  const viewer = new NavigatedViewer({ container });
  try {
    await viewer.importXML(xml);
  } catch (e) {
    viewer.destroy();
    throw e;
  }
  const canvas = viewer.get<Canvas>('canvas');
  const registry = viewer.get<ElementRegistry>('elementRegistry');
  canvas.zoom('fit-viewport', 'auto');
  const missing: string[] = [];
  for (const m of markers) {
    if (registry.get(m.elementId)) canvas.addMarker(m.elementId, m.className);
    else missing.push(m.elementId);
  }
  return {
    missing,
    handle: {
      zoomBy: (factor) => canvas.zoom(canvas.zoom() * factor),
      fit: () => canvas.zoom('fit-viewport', 'auto'),
      destroy: () => viewer.destroy(),
    },
  };
}
