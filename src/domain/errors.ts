/**
 * Typed errors with stable codes. Services throw these; the HTTP layer maps them to status codes
 * in one place (src/http/error-mapping.ts) and the CLI prints `code: message`. Messages say what
 * is wrong and how to fix it; they never carry a stack trace to the user.
 */
export type ErrorCode =
  | 'INVALID_METADATA'
  | 'INVALID_TRANSCRIPT'
  | 'INVALID_AUDIO'
  | 'UNSUPPORTED_FORMAT'
  | 'EMPTY_UPLOAD'
  | 'UPLOAD_TOO_LARGE'
  | 'INVALID_REQUEST'
  | 'INVALID_RULES'
  | 'NOT_FOUND'
  | 'CONFLICT'
  /** WORM mode: an original cannot be changed or deleted before it expires. */
  | 'WORM_LOCKED'
  /** A call on legal hold cannot be deleted. */
  | 'LEGAL_HOLD'
  /** Was there and is no more, for good: an export's download link after it expired. */
  | 'GONE'
  | 'RANGE_NOT_SATISFIABLE'
  | 'CONFIG_INVALID'
  | 'DEPENDENCY_MISSING'
  | 'INTEGRITY_MISMATCH'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INTERNAL';

export class TingjianError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for the caller, e.g. which fields were wrong. */
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TingjianError';
    this.code = code;
    this.details = details;
  }
}

export const invalidMetadata = (message: string, details?: Record<string, unknown>) =>
  new TingjianError('INVALID_METADATA', message, details);
export const invalidTranscript = (message: string, details?: Record<string, unknown>) =>
  new TingjianError('INVALID_TRANSCRIPT', message, details);
export const invalidAudio = (message: string, details?: Record<string, unknown>) =>
  new TingjianError('INVALID_AUDIO', message, details);
export const unsupportedFormat = (message: string, details?: Record<string, unknown>) =>
  new TingjianError('UNSUPPORTED_FORMAT', message, details);
export const notFound = (what: string, id: string) => new TingjianError('NOT_FOUND', `${what} ${id} does not exist`, { id });

export function isTingjianError(e: unknown): e is TingjianError {
  return e instanceof TingjianError;
}
