export { CoveragePage } from './CoveragePage';
export { MatrixPage } from './MatrixPage';
export { EditSolutionPage, NewSolutionPage } from './SolutionEditorPage';
export { SolutionPage } from './SolutionPage';
export { SolutionsPage } from './SolutionsPage';
