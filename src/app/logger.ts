import pino, { type Logger } from 'pino';
import { REDACTED, redactPaths, requestSerializer } from './log-redaction.js';

/**
 * Structured JSON logs (pino). The CLI passes `silent` unless asked, so its tables stay readable.
 * Secrets are redacted here, once for every logger (see log-redaction.ts); Fastify keeps this
 * logger's `req` serializer over its own, so request URLs are logged with tokens masked.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'tingjian' },
    redact: { paths: redactPaths(), censor: REDACTED },
    serializers: { req: requestSerializer },
  };
  return destination ? pino(options, destination) : pino(options);
}
