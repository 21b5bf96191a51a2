import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TingjianError } from '../domain/errors.js';
import { SPEAKERS } from '../domain/transcript.js';
import { parseTrustProxy } from './trust-proxy.js';
import { jsonSyntaxProblem, redactSecrets } from './config-secrets.js';
import { checkOidcSettings, oidcRoleMapSchema } from './oidc-config.js';

/**
 * Every setting Tingjian reads at start, validated once into a typed object. Sources, lowest
 * priority first: defaults → config file (TINGJIAN_CONFIG or --config, JSON) → environment →
 * command-line flags. All problems are reported together, each naming the variable to fix.
 */
const configSchema = z
  .object({
    /** Folder for the SQLite database and stored recordings. Env: TINGJIAN_DATA_DIR. */
    dataDir: z.string().min(1).default('./data'),
    /** `sqlite:<file>` (default: <dataDir>/tingjian.db) or `postgres://user:pass@host/db`. Env: TINGJIAN_DATABASE_URL. */
    databaseUrl: z
      .string()
      .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
      .optional(),
    /** Env: HOST. Loopback by default: expose deliberately. */
    host: z.string().min(1).default('127.0.0.1'),
    /** Env: PORT. */
    port: z.coerce.number().int().min(0).max(65535).default(7300),
    /** Largest accepted upload in MiB. Env: TINGJIAN_MAX_UPLOAD_MB. */
    maxUploadMb: z.coerce.number().positive().max(10_240).default(512),
    /** Largest JSON body (transcripts, rule sets) in MiB. Env: TINGJIAN_MAX_JSON_MB. */
    maxJsonMb: z.coerce.number().positive().max(1024).default(16),
    /** PEM certificate (chain) to serve HTTPS directly; set with tlsKeyFile. Env: TINGJIAN_TLS_CERT. */
    tlsCertFile: z.string().min(1).optional(),
    /** PEM private key of tlsCertFile. Env: TINGJIAN_TLS_KEY. */
    tlsKeyFile: z.string().min(1).optional(),
    /** Proxies trusted for X-Forwarded-For/-Proto: false, a hop count, or IPs/CIDRs (see docs/security.md). Env: TINGJIAN_TRUST_PROXY. */
    trustProxy: z
      .union([z.boolean(), z.number(), z.string(), z.array(z.string())])
      .optional()
      .transform((v, ctx) => {
        const r = parseTrustProxy(v);
        if ('value' in r) return r.value;
        ctx.addIssue({ code: 'custom', message: r.problem });
        return z.NEVER;
      }),
    /** Login attempts per client IP per minute; 0 = no limit. Env: TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE. */
    loginRateLimitPerMinute: z.coerce.number().int().min(0).max(100_000).default(10),
    /** Call uploads (POST /api/v1/calls) per client IP per minute; 0 = no limit. Env: TINGJIAN_UPLOAD_RATE_LIMIT_PER_MINUTE. */
    uploadRateLimitPerMinute: z.coerce.number().int().min(0).max(1_000_000).default(120),
    /** A console session unused this long ends (minutes). Env: TINGJIAN_SESSION_IDLE_MINUTES. */
    sessionIdleMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(8 * 60),
    /** A console session ends this long after sign-in however active (hours). Env: TINGJIAN_SESSION_MAX_HOURS. */
    sessionMaxHours: z.coerce.number().int().min(1).max(30 * 24).default(12),
    /** Failed logins in a row that lock an account. Env: TINGJIAN_LOGIN_MAX_FAILURES. */
    loginMaxFailures: z.coerce.number().int().min(1).max(100).default(5),
    /** How long a locked account stays locked (minutes). Env: TINGJIAN_LOGIN_LOCK_MINUTES. */
    loginLockMinutes: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /** Session cookies marked Secure: auto (when the request came over HTTPS), always, never. Env: TINGJIAN_COOKIE_SECURE. */
    cookieSecure: z.enum(['auto', 'always', 'never']).default('auto'),
    /** OpenID Connect issuer (https://sso.example.com/realms/qa); single sign-on is off without it (docs/security.md). Env: TINGJIAN_OIDC_ISSUER. */
    oidcIssuer: z.url({ protocol: /^https?$/ }).optional(),
    /** Client id registered at the IdP. Env: TINGJIAN_OIDC_CLIENT_ID. */
    oidcClientId: z.string().min(1).optional(),
    /** Client secret (client_secret_post; never printed). Env: TINGJIAN_OIDC_CLIENT_SECRET. */
    oidcClientSecret: z.string().min(1).optional(),
    /** Public URL of the callback, as registered at the IdP: https://qa.example.com/api/v1/auth/oidc/callback. Env: TINGJIAN_OIDC_REDIRECT_URL. */
    oidcRedirectUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Scopes asked for, space-separated. Env: TINGJIAN_OIDC_SCOPES. */
    oidcScopes: z.string().min(1).default('openid profile email'),
    /** Claim holding the Tingjian user name. Env: TINGJIAN_OIDC_USERNAME_CLAIM. */
    oidcUsernameClaim: z.string().min(1).default('preferred_username'),
    /** Claim holding role names (groups, realm_access.roles …), read through oidcRoleMap. Env: TINGJIAN_OIDC_ROLE_CLAIM. */
    oidcRoleClaim: z.string().min(1).optional(),
    /** JSON object: claim value → Tingjian role; the first entry the user holds wins. Env: TINGJIAN_OIDC_ROLE_MAP. */
    oidcRoleMap: oidcRoleMapSchema.optional(),
    /** Create an account at first sign-in (role from oidcRoleMap); false: only existing accounts sign in. Env: TINGJIAN_OIDC_AUTO_CREATE. */
    oidcAutoCreate: z.union([z.boolean(), z.stringbool()]).default(false),
    /** The console's sign-in button. Env: TINGJIAN_OIDC_BUTTON_LABEL. */
    oidcButtonLabel: z.string().min(1).max(60).default('企业账号登录 (SSO)'),
    /** Path to ffmpeg; default: `ffmpeg` on PATH, else the static binary from npm. Env: TINGJIAN_FFMPEG. */
    ffmpegPath: z.string().min(1).optional(),
    /** Pipeline jobs run at once in this process. Env: TINGJIAN_WORKER_CONCURRENCY. */
    workerConcurrency: z.coerce.number().int().min(1).max(64).default(2),
    /** Tries per stage before the call is marked failed. Env: TINGJIAN_MAX_ATTEMPTS. */
    maxAttempts: z.coerce.number().int().min(1).max(20).default(4),
    /** First retry delay; doubles per attempt. Env: TINGJIAN_RETRY_BASE_MS. */
    retryBaseMs: z.coerce.number().int().min(0).max(3_600_000).default(2000),
    /** A running job whose worker stops renewing it for this long is taken over. Env: TINGJIAN_JOB_LEASE_MS. */
    jobLeaseMs: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
    /** Roles this process runs: api, worker. Env: TINGJIAN_SERVICES=api,worker. */
    services: z.array(z.enum(['api', 'worker'])).min(1).default(['api', 'worker']),
    /** UTC offset for times given without one (PBX exports often omit it). Env: TINGJIAN_DEFAULT_UTC_OFFSET. */
    defaultUtcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'like +08:00').default('+08:00'),
    /** Role of each stereo channel when metadata does not say. Env: TINGJIAN_CHANNEL_ROLES=agent,customer. */
    defaultChannelRoles: z.array(z.enum(SPEAKERS)).min(1).default(['agent', 'customer']),
    /** Voice activity detector: `silero` (sherpa-onnx + the bundled Silero model) or `webrtc` (light fallback). Env: TINGJIAN_VAD. */
    vad: z.enum(['silero', 'webrtc']).default('silero'),
    /** Silero speech probability threshold 0..1. Env: TINGJIAN_VAD_THRESHOLD. */
    vadThreshold: z.coerce.number().min(0.05).max(0.95).default(0.5),
    /** Pauses shorter than this stay inside one speech span. Env: TINGJIAN_VAD_MIN_SILENCE_MS. */
    vadMinSilenceMs: z.coerce.number().int().min(30).max(5000).default(300),
    /** Speech shorter than this is dropped. Env: TINGJIAN_VAD_MIN_SPEECH_MS. */
    vadMinSpeechMs: z.coerce.number().int().min(30).max(5000).default(250),
    /** Longer speech is split for the ASR engine. Env: TINGJIAN_VAD_MAX_SPEECH_MS. */
    vadMaxSpeechMs: z.coerce.number().int().min(2000).max(60_000).default(20_000),
    /** WebRTC VAD aggressiveness 0..3. Env: TINGJIAN_WEBRTC_VAD_MODE. */
    webrtcVadMode: z.coerce.number().int().min(0).max(3).default(2),
    /** Dead air: a gap where neither side speaks counts from this length. Env: TINGJIAN_SILENCE_MIN_MS. */
    silenceMinMs: z.coerce.number().int().min(200).max(600_000).default(2000),
    /** B cutting in is an interruption when A had spoken at least this long. Env: TINGJIAN_INTERRUPTION_MIN_MS. */
    interruptionMinMs: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** Non-speech this long is flagged as a possible hold. Env: TINGJIAN_HOLD_MIN_MS. */
    holdMinMs: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    /** Topic taxonomy YAML (templates/topics/default.yaml format); default: the built-in one. Env: TINGJIAN_TOPIC_TAXONOMY. */
    topicTaxonomy: z.string().min(1).optional(),
    /** Extra words for Chinese segmentation (products, campaigns), one per line: `word [freq [tag]]`. Env: TINGJIAN_USER_DICTIONARY. */
    userDictionary: z.string().min(1).optional(),
    /** Retention policy YAML (templates/retention/default.yaml format: keep days per business line, customer tag, channel); default: the built-in one, 180 days. Env: TINGJIAN_RETENTION_POLICY. */
    retentionPolicyFile: z.string().min(1).optional(),
    /** Minutes between purges of expired calls in a long-running server (serve); 0: no scheduled purge. Env: TINGJIAN_RETENTION_PURGE_INTERVAL_MINUTES. */
    retentionPurgeIntervalMinutes: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
    /** Write once, read many: no original is changed or deleted before it expires, by anyone, admins included. Env: TINGJIAN_WORM=true. */
    worm: z.union([z.boolean(), z.stringbool()]).default(false),
    /** Days audit log entries are kept (at least a year; the purge keeps the chain verifiable). Env: TINGJIAN_AUDIT_RETENTION_DAYS. */
    auditRetentionDays: z.coerce.number().int().min(365).max(36_500).default(1095),
    /** Exports (audio, transcripts, reports) wait for a second person holding exports:approve; false: approved at once (still audited). Env: TINGJIAN_EXPORTS_REQUIRE_APPROVAL. */
    exportsRequireApproval: z.union([z.boolean(), z.stringbool()]).default(true),
    /** How long an approved export's download link works (minutes). Env: TINGJIAN_EXPORT_LINK_MINUTES. */
    exportLinkMinutes: z.coerce.number().int().min(1).max(7 * 24 * 60).default(60),
    /** ASR engine for calls without a transcript: none, sherpa-onnx, pocketsphinx. Env: TINGJIAN_ASR_ENGINE. */
    asrEngine: z.enum(['none', 'sherpa-onnx', 'pocketsphinx']).default('none'),
    /** sherpa-onnx model directory (see docs/asr-models.md). Env: TINGJIAN_ASR_MODEL_DIR. */
    asrModelDir: z.string().min(1).optional(),
    /** sherpa-onnx model type; `auto` decides from the files in the directory. Env: TINGJIAN_ASR_MODEL_TYPE. */
    asrModelType: z.enum(['auto', 'sense-voice', 'paraformer', 'whisper', 'transducer']).default('auto'),
    /** Threads (and pool workers) the ASR engine uses; default: the cores of this machine. Env: TINGJIAN_ASR_THREADS. */
    asrThreads: z.coerce.number().int().min(1).max(256).optional(),
    /** Language hint for multilingual models (SenseVoice, Whisper): auto, zh, en, yue, ja, ko. Env: TINGJIAN_ASR_LANGUAGE. */
    asrLanguage: z.string().min(1).default('auto'),
    /** pocketsphinx_batch executable. Env: TINGJIAN_POCKETSPHINX. */
    pocketsphinxPath: z.string().min(1).default('pocketsphinx_batch'),
    /** pocketsphinx model folder (hmm, lm, dict inside). Env: TINGJIAN_POCKETSPHINX_MODEL_DIR. */
    pocketsphinxModelDir: z.string().min(1).default('/usr/share/pocketsphinx/model/en-us'),
    /** sherpa-onnx speaker segmentation model (pyannote .onnx) for mono calls. Env: TINGJIAN_DIARIZATION_SEGMENTATION_MODEL. */
    diarizationSegmentationModel: z.string().min(1).optional(),
    /** sherpa-onnx speaker embedding model (.onnx) for mono calls. Env: TINGJIAN_DIARIZATION_EMBEDDING_MODEL. */
    diarizationEmbeddingModel: z.string().min(1).optional(),
    /** JSON key file of master keys for encryption at rest, mode 600 (docs/security.md). Env: TINGJIAN_MASTER_KEY_FILE. */
    masterKeyFile: z.string().min(1).optional(),
    /** One master key, base64 of 32 bytes, when there is no key file (never printed). Env: TINGJIAN_MASTER_KEY. */
    masterKey: z.string().min(1).optional(),
    /** Env: LOG_LEVEL. */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict()
  .superRefine(checkOidcSettings);

export type Config = z.infer<typeof configSchema> & { databaseUrl: string; maxUploadBytes: number };
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variable → config key. The single list of variables Tingjian reads. */
export const ENV_VARIABLES: Record<string, keyof ConfigInput> = {
  TINGJIAN_DATA_DIR: 'dataDir',
  TINGJIAN_DATABASE_URL: 'databaseUrl',
  HOST: 'host',
  PORT: 'port',
  TINGJIAN_MAX_UPLOAD_MB: 'maxUploadMb',
  TINGJIAN_MAX_JSON_MB: 'maxJsonMb',
  TINGJIAN_TLS_CERT: 'tlsCertFile',
  TINGJIAN_TLS_KEY: 'tlsKeyFile',
  TINGJIAN_TRUST_PROXY: 'trustProxy',
  TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE: 'loginRateLimitPerMinute',
  TINGJIAN_UPLOAD_RATE_LIMIT_PER_MINUTE: 'uploadRateLimitPerMinute',
  TINGJIAN_SESSION_IDLE_MINUTES: 'sessionIdleMinutes',
  TINGJIAN_SESSION_MAX_HOURS: 'sessionMaxHours',
  TINGJIAN_LOGIN_MAX_FAILURES: 'loginMaxFailures',
  TINGJIAN_LOGIN_LOCK_MINUTES: 'loginLockMinutes',
  TINGJIAN_COOKIE_SECURE: 'cookieSecure',
  TINGJIAN_OIDC_ISSUER: 'oidcIssuer',
  TINGJIAN_OIDC_CLIENT_ID: 'oidcClientId',
  TINGJIAN_OIDC_CLIENT_SECRET: 'oidcClientSecret',
  TINGJIAN_OIDC_REDIRECT_URL: 'oidcRedirectUrl',
  TINGJIAN_OIDC_SCOPES: 'oidcScopes',
  TINGJIAN_OIDC_USERNAME_CLAIM: 'oidcUsernameClaim',
  TINGJIAN_OIDC_ROLE_CLAIM: 'oidcRoleClaim',
  TINGJIAN_OIDC_ROLE_MAP: 'oidcRoleMap',
  TINGJIAN_OIDC_AUTO_CREATE: 'oidcAutoCreate',
  TINGJIAN_OIDC_BUTTON_LABEL: 'oidcButtonLabel',
  TINGJIAN_FFMPEG: 'ffmpegPath',
  TINGJIAN_WORKER_CONCURRENCY: 'workerConcurrency',
  TINGJIAN_MAX_ATTEMPTS: 'maxAttempts',
  TINGJIAN_RETRY_BASE_MS: 'retryBaseMs',
  TINGJIAN_JOB_LEASE_MS: 'jobLeaseMs',
  TINGJIAN_SERVICES: 'services',
  TINGJIAN_DEFAULT_UTC_OFFSET: 'defaultUtcOffset',
  TINGJIAN_CHANNEL_ROLES: 'defaultChannelRoles',
  TINGJIAN_VAD: 'vad',
  TINGJIAN_VAD_THRESHOLD: 'vadThreshold',
  TINGJIAN_VAD_MIN_SILENCE_MS: 'vadMinSilenceMs',
  TINGJIAN_VAD_MIN_SPEECH_MS: 'vadMinSpeechMs',
  TINGJIAN_VAD_MAX_SPEECH_MS: 'vadMaxSpeechMs',
  TINGJIAN_WEBRTC_VAD_MODE: 'webrtcVadMode',
  TINGJIAN_SILENCE_MIN_MS: 'silenceMinMs',
  TINGJIAN_INTERRUPTION_MIN_MS: 'interruptionMinMs',
  TINGJIAN_HOLD_MIN_MS: 'holdMinMs',
  TINGJIAN_TOPIC_TAXONOMY: 'topicTaxonomy',
  TINGJIAN_USER_DICTIONARY: 'userDictionary',
  TINGJIAN_RETENTION_POLICY: 'retentionPolicyFile',
  TINGJIAN_RETENTION_PURGE_INTERVAL_MINUTES: 'retentionPurgeIntervalMinutes',
  TINGJIAN_WORM: 'worm',
  TINGJIAN_AUDIT_RETENTION_DAYS: 'auditRetentionDays',
  TINGJIAN_EXPORTS_REQUIRE_APPROVAL: 'exportsRequireApproval',
  TINGJIAN_EXPORT_LINK_MINUTES: 'exportLinkMinutes',
  TINGJIAN_ASR_ENGINE: 'asrEngine',
  TINGJIAN_ASR_MODEL_DIR: 'asrModelDir',
  TINGJIAN_ASR_MODEL_TYPE: 'asrModelType',
  TINGJIAN_ASR_THREADS: 'asrThreads',
  TINGJIAN_ASR_LANGUAGE: 'asrLanguage',
  TINGJIAN_POCKETSPHINX: 'pocketsphinxPath',
  TINGJIAN_POCKETSPHINX_MODEL_DIR: 'pocketsphinxModelDir',
  TINGJIAN_DIARIZATION_SEGMENTATION_MODEL: 'diarizationSegmentationModel',
  TINGJIAN_DIARIZATION_EMBEDDING_MODEL: 'diarizationEmbeddingModel',
  TINGJIAN_MASTER_KEY_FILE: 'masterKeyFile',
  TINGJIAN_MASTER_KEY: 'masterKey',
  LOG_LEVEL: 'logLevel',
};
const LIST_KEYS = new Set<keyof ConfigInput>(['services', 'defaultChannelRoles']);

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_VARIABLES)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    out[key] = LIST_KEYS.has(key) ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  }
  return out;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TingjianError('CONFIG_INVALID', `cannot read config file ${file}: ${(e as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('top level must be an object');
    return parsed as Record<string, unknown>;
  } catch (e) {
    throw new TingjianError('CONFIG_INVALID', `config file ${file} is not valid JSON: ${jsonSyntaxProblem(e as Error, text)}`);
  }
}

const keyToSource = (key: string): string => {
  const env = Object.entries(ENV_VARIABLES).find(([, k]) => k === key.split('.')[0])?.[0];
  return env ? `${key} (env ${env})` : key;
};

/**
 * Load and validate configuration. Throws one CONFIG_INVALID error listing every problem.
 * @example loadConfig({ env: process.env, overrides: { port: 8080 } })
 */
export function loadConfig(opts: { env?: NodeJS.ProcessEnv; configFile?: string; overrides?: ConfigInput } = {}): Config {
  const env = opts.env ?? process.env;
  const file = opts.configFile ?? env.TINGJIAN_CONFIG;
  const merged = { ...(file ? readConfigFile(file) : {}), ...fromEnv(env), ...stripUndefined(opts.overrides ?? {}) };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const problems = redactSecrets(result.error.issues.map((i) => {
      const key = i.path.join('.');
      return i.code === 'unrecognized_keys'
        ? `unknown setting(s) ${i.keys.join(', ')}${file ? ` in ${file}` : ''}; known: ${Object.keys(configSchema.shape).join(', ')}`
        : `${keyToSource(key)}: ${i.message}`;
    }), merged);
    throw new TingjianError('CONFIG_INVALID', `invalid configuration:\n  - ${problems.join('\n  - ')}`, { problems });
  }
  const c = result.data;
  const dataDir = path.resolve(c.dataDir);
  return {
    ...c,
    dataDir,
    databaseUrl: c.databaseUrl ?? `sqlite:${path.join(dataDir, 'tingjian.db')}`,
    maxUploadBytes: Math.floor(c.maxUploadMb * 1024 * 1024),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
