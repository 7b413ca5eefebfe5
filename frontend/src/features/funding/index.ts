export { ApplicationPage, NewApplicationPage } from './ApplicationPage';
export { BoardPage } from './BoardPage';
export { CalendarPage } from './CalendarPage';
export { OverviewPage } from './OverviewPage';
export { ProgrammeEditPage } from './ProgrammeEditPage';
export { ProgrammePage } from './ProgrammePage';
export { ProgrammesPage } from './ProgrammesPage';
