import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isTingjianError, type ErrorCode } from '../domain/errors.js';

/** The one map from error codes to HTTP status. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_METADATA: 400,
  INVALID_TRANSCRIPT: 400,
  INVALID_AUDIO: 422,
  UNSUPPORTED_FORMAT: 415,
  EMPTY_UPLOAD: 400,
  UPLOAD_TOO_LARGE: 413,
  INVALID_REQUEST: 400,
  INVALID_RULES: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // 409, not 403: the caller may hold the permission (an admin does); the call's state forbids
  // it until its expiry or the hold's release, and a 403 would read as "ask for more rights".
  WORM_LOCKED: 409,
  LEGAL_HOLD: 409,
  // 410, not 404 or 403: the link was real and will never work again — ask for a new export.
  GONE: 410,
  RANGE_NOT_SATISFIABLE: 416,
  CONFIG_INVALID: 500,
  DEPENDENCY_MISSING: 503,
  INTEGRITY_MISMATCH: 500,
  TIMEOUT: 504,
  RATE_LIMITED: 429,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** Fastify's own errors (body limits, bad JSON, multipart limits) mapped to our codes. */
function fromFastify(e: FastifyError): { code: ErrorCode; message: string } | null {
  switch (e.code) {
    // Fastify's bodyLimit only bounds parsed bodies (JSON transcripts, rule sets); recordings stream through multipart.
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'UPLOAD_TOO_LARGE', message: `${e.message}; JSON bodies are limited by TINGJIAN_MAX_JSON_MB (maxJsonMb, default 16): raise it or send less at once` };
    case 'FST_REQ_FILE_TOO_LARGE':
      return { code: 'UPLOAD_TOO_LARGE', message: `${e.message}; raise TINGJIAN_MAX_UPLOAD_MB or split the recording` };
    // Too many parts is a malformed upload, not a large one: raising the size limit would not help,
    // so these are 400 INVALID_REQUEST (a second file part trips busboy's files limit of 1 before
    // the route's own "one recording per request" check can run).
    case 'FST_FILES_LIMIT':
      return { code: 'INVALID_REQUEST', message: 'send one recording per request (found more than one file part)' };
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { code: 'INVALID_REQUEST', message: `${e.message}: send one file part (the recording) and at most one "metadata" field` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'INVALID_REQUEST', message: 'send multipart/form-data (audio + metadata) or application/json (transcript)' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'INVALID_REQUEST', message: 'the JSON body is empty' };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return { code: 'INVALID_REQUEST', message: 'the request is not multipart/form-data' };
    default:
      if (e.statusCode === 400 && /JSON/i.test(e.message)) return { code: 'INVALID_REQUEST', message: `the body is not valid JSON: ${e.message}` };
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return { code: 'INVALID_REQUEST', message: e.message };
      return null;
  }
}

/** Bad input → 4xx with a message that says what to fix; anything else → 500 without internals. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const problems = err.validation.map((v) => `${v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(request)'}: ${v.message}`);
    void reply.code(400).send({ error: { code: 'INVALID_REQUEST', message: `invalid ${err.validationContext ?? 'request'}: ${problems.join('; ')}`, details: { problems } } } satisfies ErrorBody);
    return;
  }
  if (isTingjianError(err)) {
    const status = HTTP_STATUS[err.code];
    if (status >= 500) req.log.error({ err }, 'request failed');
    void reply.code(status).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } } satisfies ErrorBody);
    return;
  }
  const mapped = fromFastify(err);
  if (mapped) {
    void reply.code(HTTP_STATUS[mapped.code]).send({ error: mapped } satisfies ErrorBody);
    return;
  }
  req.log.error({ err }, 'unexpected error');
  void reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error; see the server log for the request id ' + req.id } } satisfies ErrorBody);
}
