export { EditProjectPage, NewProjectPage } from './ProjectEditorPage';
export { ProjectPage } from './ProjectPage';
export { ProjectsPage } from './ProjectsPage';
export { PublicProjectPage, PublicProjectsPage } from './PublicProjectsPage';
