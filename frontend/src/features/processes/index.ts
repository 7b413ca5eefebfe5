export { CandidatesPage } from './CandidatesPage';
export { ContinuityPage } from './ContinuityPage';
export { DeviationsPage } from './DeviationsPage';
export { ImportPage as ProcessImportPage } from './ImportPage';
export { ModelPage as ProcessModelPage } from './ModelPage';
export { EditProcessPage, NewProcessPage } from './ProcessEditorPage';
export { ProcessPage } from './ProcessPage';
export { ProcessesPage } from './ProcessesPage';
