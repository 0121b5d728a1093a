/**
 * The page's CSP allows `<style>` elements only with this response's nonce (no 'unsafe-inline'). The
 * server puts a fresh nonce on `<meta property="csp-nonce">` for every index.html it sends; the UI
 * library (MantineProvider getStyleNonce) and the scroll-lock helper (via the __webpack_nonce__
 * convention that get-nonce reads) stamp it on the style tags they write.
 */
declare global {
  var __webpack_nonce__: string | undefined;
}

let nonce: string | undefined;

export function styleNonce(): string {
  if (nonce === undefined) {
    const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
    const value = meta?.nonce ?? '';
    // In `vite dev` the placeholder is never replaced; there is no CSP there either.
    nonce = value.startsWith('__SEPAR') ? '' : value;
  }
  return nonce;
}

export function installStyleNonce(): void {
  const n = styleNonce();
  if (n) globalThis.__webpack_nonce__ = n;
}
