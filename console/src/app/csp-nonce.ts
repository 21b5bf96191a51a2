/**
 * The nonce the server put in <meta name="csp-nonce"> for this page load. The Content-Security-
 * Policy allows <style> elements only with it (no 'unsafe-inline'): antd's CSS-in-JS, wavesurfer
 * and CodeMirror get it. Empty under the Vite dev server, which sends no CSP.
 */
export function cspNonce(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content ?? '';
}

/**
 * Gives every <style> element scripts create the page's nonce. Some library code inserts <style>
 * elements without a way to pass a nonce (rc-table measures the scrollbar of every antd Table with
 * one), which the CSP would refuse with a violation each time. Only our own bundled scripts run
 * ('self' scripts only), so a style they create is ours. Call once before rendering.
 */
export function nonceCreatedStyles(): void {
  const nonce = cspNonce();
  if (!nonce) return;
  const create = document.createElement.bind(document) as (tag: string, options?: ElementCreationOptions) => HTMLElement;
  document.createElement = ((tag: string, options?: ElementCreationOptions) => {
    const el = create(tag, options);
    if (tag.toLowerCase() === 'style') el.nonce = nonce;
    return el;
  }) as typeof document.createElement;
}
