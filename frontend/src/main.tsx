import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@kern-ux/native/dist/fonts/fira-sans.css';
import '@kern-ux/native/dist/kern.min.css';
import './styles/app.css';
import { App } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
