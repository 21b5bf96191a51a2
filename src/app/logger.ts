import pino, { type Logger } from 'pino';

/** Structured JSON logs (pino). The CLI passes `silent` unless asked, so its tables stay readable. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'tingjian' } });
}
