import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { nonceCreatedStyles } from './app/csp-nonce';
// antd's styles as one static file (zero-runtime mode, App.tsx): no style generation while rendering.
import 'antd/dist/antd.css';
import './styles.css';

nonceCreatedStyles();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
