export { NewRequestPage } from './NewRequestPage';
export { RequestPage } from './RequestPage';
export { SupportPage } from './SupportPage';
