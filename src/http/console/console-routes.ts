import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../auth/route-access.js';
import { consoleCsp, ConsoleFiles, consoleFolder } from './console-files.js';

const NOT_BUILT =
  '<!doctype html><meta charset="utf-8"><title>Tingjian</title><p>The web console is not built. Run <code>npm run build</code> (or <code>npm run build:console</code>) in the Tingjian folder, then reload. The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>';

/**
 * The web console: its files under /assets (public: code, no data), and index.html for `/` and for
 * any other browser navigation outside /api/ (the console routes itself: /calls/abc, /rules), so
 * deep links and reloads work. Everything the console shows comes from the documented /api/v1.
 */
export type ConsoleNavigation = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | null;

/** Registers the routes on `app` itself (not a child plugin) and returns the navigation fallback for the not-found handler. */
export function consoleRoutes(app: FastifyInstance, folder: string | null = consoleFolder()): ConsoleNavigation {
  const files = folder ? new ConsoleFiles(folder) : null;

  const sendPage = async (reply: FastifyReply) => {
    const page = files ? await files.page().catch(() => null) : null;
    if (!page) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    const { html, nonce } = page;
    return reply.header('content-security-policy', consoleCsp(nonce)).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

  app.get('/', { config: access('public'), schema: { hide: true } }, (_req, reply) => sendPage(reply));

  app.get('/assets/*', { config: access('public'), schema: { hide: true } }, async (req, reply) => {
    const f = files ? await files.file(req.url, req.headers['accept-encoding']) : null;
    if (!f) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no console file ${req.url}; rebuild the console (npm run build) if it was just updated` } });
    // Vary: caches keep the compressed and the plain copy apart.
    void reply.header('vary', 'accept-encoding');
    if (f.encoding) void reply.header('content-encoding', f.encoding);
    return reply.header('cache-control', f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache').type(f.type).send(f.body);
  });

  // Browser navigations to console pages: not /api/, a GET that wants HTML.
  return (req, reply) => {
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if ((req.method === 'GET' || req.method === 'HEAD') && wantsHtml && !req.url.startsWith('/api/')) return sendPage(reply);
    return null;
  };
}
