import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Config } from '../config/config.js';
import { TingjianError } from '../domain/errors.js';

/**
 * Request body, timeout and proxy settings of the HTTP server, and its TLS key pair when it serves
 * HTTPS itself. Header and URL sizes keep Node's limits (16 KiB of headers, the URL included;
 * 431 beyond), route parameters Fastify's 100 characters.
 */

/** Time to receive a whole request, headers and body: an upload of maxUploadMb at 1 MiB/s, at least 10 minutes. Responses (audio downloads) are not limited. */
export const requestTimeoutMs = (config: Pick<Config, 'maxUploadMb'>): number => Math.max(600_000, Math.ceil(config.maxUploadMb) * 1000);
/** Idle keep-alive connections close after this; longer than nginx's upstream keepalive_timeout (60 s), so the proxy closes first. */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export const maxJsonBytes = (config: Pick<Config, 'maxJsonMb'>): number => Math.floor(config.maxJsonMb * 1024 * 1024);

/**
 * The certificate and key to serve HTTPS with, or null for plain HTTP (behind a TLS-terminating
 * proxy, or on loopback). Both files or neither; read now, so a wrong path or a key that does not
 * belong to the certificate stops the server at start with CONFIG_INVALID, not at the first client.
 */
export function readTlsKeyPair(config: Pick<Config, 'tlsCertFile' | 'tlsKeyFile'>): { cert: Buffer; key: Buffer } | null {
  const { tlsCertFile, tlsKeyFile } = config;
  if (!tlsCertFile && !tlsKeyFile) return null;
  if (!tlsCertFile || !tlsKeyFile) {
    const [set, missing] = tlsCertFile ? ['tlsCertFile (env TINGJIAN_TLS_CERT)', 'tlsKeyFile (env TINGJIAN_TLS_KEY)'] : ['tlsKeyFile (env TINGJIAN_TLS_KEY)', 'tlsCertFile (env TINGJIAN_TLS_CERT)'];
    throw new TingjianError('CONFIG_INVALID', `HTTPS needs a certificate and its key: ${set} is set but ${missing} is not; set both, or neither to serve plain HTTP behind a TLS proxy (docs/security.md)`);
  }
  const problems: string[] = [];
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (e) {
      problems.push(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return Buffer.alloc(0);
    }
  };
  const cert = read(tlsCertFile, 'tlsCertFile (env TINGJIAN_TLS_CERT)');
  const key = read(tlsKeyFile, 'tlsKeyFile (env TINGJIAN_TLS_KEY)');
  if (problems.length) throw new TingjianError('CONFIG_INVALID', `${problems.join('; ')}; the files must be readable by the user running Tingjian`, { problems });
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    // OpenSSL's messages ("key values mismatch", "no start line") name the problem, never the key.
    throw new TingjianError('CONFIG_INVALID', `${tlsCertFile} and ${tlsKeyFile} are not a usable PEM certificate and private key: ${(e as Error).message}; check both are PEM and the key belongs to the certificate`);
  }
  return { cert, key };
}

/** Fastify's trustProxy from ours: a hop count trusts the nearest n peers (see docs/security.md on when that is safe). */
export function fastifyTrustProxy(trust: Config['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  // Fastify ≥ 5.x treats a bare number as "trust nothing" (it cannot check the peer), so the
  // count is a function here; config validation allows only 1–10.
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}

/** The options every Tingjian Fastify instance is built with (logger aside). */
export function serverOptions(config: Config) {
  return {
    bodyLimit: maxJsonBytes(config),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    requestTimeout: requestTimeoutMs(config),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  };
}
