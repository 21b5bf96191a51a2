import { common } from '../i18n/common-messages';
import { savedLocale } from '../i18n/i18n';

/**
 * The one way the console talks to the server: the documented /api/v1 routes, same origin, the
 * session cookie sent by the browser, the CSRF token (from login or /auth/me) on every change.
 * Errors become ApiError with the server's stable code and message, which pages show as they are
 * (the server's messages say what is wrong and how to fix it).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The error of a request that got no answer (server stopped, network down), in the user's language:
 * pages show error messages as they are, and the browser's own ("Failed to fetch") is English only.
 */
export function networkError(): ApiError {
  return new ApiError(0, 'NETWORK', common[savedLocale()].networkError);
}

let csrfToken: string | null = null;
/** Set by the session after login or /auth/me. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401: the session ended (expired, signed out elsewhere). */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | undefined | null | ReadonlyArray<string | number>>;

/** A query string from an object: undefined, null and '' are left out; arrays repeat the key. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sent as is (FormData for uploads); body is then ignored. */
  form?: FormData;
  /** A text body with its content type (YAML rule files); body is then ignored. */
  text?: { body: string; contentType: string };
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let details: unknown;
  try {
    const j = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown }; code?: string; message?: string };
    const e = j.error ?? j;
    if (e.code) code = e.code;
    if (e.message) message = e.message;
    details = (e as { details?: unknown }).details;
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(res.status, code, message, details);
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.text) {
    headers['content-type'] = opts.text.contentType;
    body = opts.text.body;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(`${path}${toQueryString(opts.query)}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    // An aborted request stays an AbortError (nobody shows it); any other failure means no answer.
    if (opts.signal?.aborted) throw e;
    throw networkError();
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && onUnauthorized && !path.startsWith('/api/v1/auth/login')) onUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, query?: Query) => api<T>('POST', path, { body, query });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body });
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, { body });
export const del = <T>(path: string) => api<T>('DELETE', path);

/**
 * Upload with progress (fetch has no upload progress): XMLHttpRequest, same cookie and CSRF token.
 */
export function upload<T>(path: string, form: FormData, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const res = new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' } });
      if (xhr.status >= 200 && xhr.status < 300) resolve(res.json() as Promise<T>);
      else void errorOf(res).then(reject);
    };
    xhr.onerror = () => reject(networkError());
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
