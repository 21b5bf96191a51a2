/**
 * The nonce the server put in <meta name="csp-nonce"> for this page load. The Content-Security-
 * Policy allows <style> elements only with it (no 'unsafe-inline'): antd's CSS-in-JS, wavesurfer
 * and CodeMirror get it. Empty under the Vite dev server, which sends no CSP.
 */
export function cspNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
}
