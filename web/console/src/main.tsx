/**
 * The merchant console: React + Ant Design (Chinese locale), served by the Guang server under /admin.
 * The server puts a fresh CSP nonce in <meta property="csp-nonce"> on every page; antd's CSS-in-JS stamps
 * it on the <style> elements it inserts (csp-nonce.ts covers the rest), so styles need no 'unsafe-inline'.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { nonce } from './csp-nonce.ts';
import './base.css';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} csp={nonce ? { nonce } : undefined} theme={{ token: { colorPrimary: '#07c160' } }}>
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
