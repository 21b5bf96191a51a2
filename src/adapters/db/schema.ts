import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Times are epoch milliseconds (bigint in PostgreSQL, parsed
 * to number), JSON is stored as text so both dialects read it the same way.
 */
export interface CallsTable {
  id: string;
  external_id: string | null;
  channel: string;
  direction: string;
  started_at: number | null;
  /** startedAt, or the time accepted when unknown: the sort and filter key of the call list. */
  occurred_at: number;
  duration_ms: number | null;
  agent_id: string | null;
  team_id: string | null;
  business_line: string | null;
  customer_phone: string | null;
  customer_tags: string;
  consult_type: string | null;
  language: string;
  extra: string;
  status: string;
  stages: string;
  created_at: number;
  updated_at: number;
}

export interface RecordingsTable {
  call_id: string;
  format: string;
  codec: string;
  sample_rate: number;
  channels: number;
  channel_roles: string;
  duration_ms: number;
  sha256: string;
  size_bytes: number;
  blob_key: string;
  original_name: string | null;
}

export interface TranscriptsTable {
  call_id: string;
  engine: string;
  language: string;
  created_at: number;
}

export interface TranscriptSegmentsTable {
  call_id: string;
  idx: number;
  speaker: string;
  start_ms: number;
  end_ms: number;
  text: string;
  /** What the ASR engine heard, when the correction dictionary changed `text`. */
  raw_text: string | null;
  confidence: number | null;
}

export interface ArtifactsTable {
  call_id: string;
  kind: string;
  body: string;
  created_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  call_id: string;
  stage: string;
  status: string;
  attempts: number;
  max_attempts: number;
  run_after: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** One version of the ASR correction dictionary; rows are only ever added. */
export interface CorrectionDictionariesTable {
  version: number;
  /** The dictionary document as JSON. */
  body: string;
  note: string | null;
  created_at: number;
  created_by: string | null;
}

/** One version of the rule set; rows are only ever added, a draft becomes published once. */
export interface RuleSetVersionsTable {
  version: number;
  /** The rule set document as JSON (opaque to storage). */
  body: string;
  sha256: string;
  note: string | null;
  /** 'draft' | 'published' */
  status: string;
  created_at: number;
  created_by: string | null;
  published_at: number | null;
}

/** The judgement of a call by one rule set version, with the columns reports filter on. */
export interface InspectionsTable {
  call_id: string;
  rule_set_version: number;
  /** The Inspection as JSON. */
  body: string;
  score_percent: number | null;
  band: string | null;
  /** 1 when a fatal item or a fatal rule hit, else 0 (an integer in both dialects). */
  fatal: number;
  /** How many rules hit. */
  hits: number;
  created_at: number;
}

/** One row per rule whose outcome was hit, for counts without parsing the JSON. */
export interface InspectionHitsTable {
  call_id: string;
  rule_set_version: number;
  rule_id: string;
  /** How many times the rule hit in the call. */
  hits: number;
}

export interface ReinspectionJobsTable {
  id: Generated<number>;
  rule_set_version: number;
  /** The ReinspectionFilter as JSON. */
  filter: string;
  status: string;
  total: number;
  done: number;
  hit_calls: number;
  /** Id of the last call finished; calls are processed in ascending id order. */
  cursor: string | null;
  error: string | null;
  locked_by: string | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** One call in the full-text index (0004-search.ts); doc_id orders by call time. */
export interface SearchDocsTable {
  doc_id: number;
  call_id: string;
  external_id: string | null;
  at: number;
  agent_id: string | null;
  team_id: string | null;
  business_line: string | null;
  channel: string;
  rule_set_version: number | null;
  score_percent: number | null;
  customer_sentiment: number | null;
  sentiment_label: string | null;
  /** '|a|b|' */
  topics: string;
  /** PostgreSQL only: the tokens as a tsvector (SQLite keeps them in the search_fts FTS5 table). */
  tsv?: string;
}

export interface SearchDocRulesTable {
  doc_id: number;
  rule_id: string;
}

export interface SearchDocTopicsTable {
  doc_id: number;
  topic_id: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string | null;
  password_hash: string | null;
  role: string;
  agent_id: string | null;
  team_ids: string;
  business_lines: string;
  oidc_subject: string | null;
  disabled: number;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  created_by: string | null;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface CallAssignmentsTable {
  call_id: string;
  user_id: string;
  assigned_at: number;
  assigned_by: string | null;
}

/** A filter saved on a console page by an account (0011-saved-filters.ts). */
export interface SavedFiltersTable {
  id: string;
  account_id: string;
  /** 'calls' | 'search' | 'dashboard' */
  page: string;
  name: string;
  /** The page's query as a JSON object of strings. */
  query: string;
  created_at: number;
}

/**
 * A call's retention (0007-retention.ts): when it expires, its legal hold, and — once its rows
 * are deleted — what the purge still has to remove from disk (a tombstone).
 */
export interface CallRetentionTable {
  call_id: string;
  /** Epoch ms; null: not computed yet (a call stored before retention existed). */
  expires_at: number | null;
  policy: string | null;
  computed_at: number | null;
  /** 1 while on legal hold, else 0. */
  legal_hold: Generated<number>;
  hold_reason: string | null;
  hold_by: string | null;
  hold_at: number | null;
  purged_at: number | null;
  blob_key: string | null;
  external_id: string | null;
  purge_audit: string | null;
}

/** One audit log entry (0006-audit-log.ts); seq is assigned by the appender, details is the hashed JSON text. */
export interface AuditLogTable {
  seq: number;
  at: number;
  actor_user_id: string | null;
  actor_username: string;
  actor_role: string | null;
  actor_via: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The one row (id 1) the audit chain continues from after a purge. */
export interface AuditAnchorTable {
  id: number;
  seq: number;
  hash: string;
}

/** A call's data key wrapped under a master key (0008-data-keys.ts); rotation rewrites `wrapped` and `key_id`. */
export interface DataKeysTable {
  object_id: string;
  key_id: string;
  /** `v1:<key id>:<base64 of iv | tag | ciphertext>` (src/crypto/envelope.ts). */
  wrapped: string;
  created_at: number;
}

/** One export request (0009-exports.ts); call_ids and call_filter are JSON text. */
export interface ExportRequestsTable {
  id: string;
  kind: string;
  format: string;
  call_ids: string;
  call_count: number;
  call_filter: string | null;
  reason: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: number;
  status: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: number | null;
  decision_note: string | null;
  link_token_hash: string | null;
  link_expires_at: number | null;
  downloads: number;
  last_downloaded_at: number | null;
}

export interface DatabaseSchema {
  calls: CallsTable;
  recordings: RecordingsTable;
  transcripts: TranscriptsTable;
  transcript_segments: TranscriptSegmentsTable;
  artifacts: ArtifactsTable;
  jobs: JobsTable;
  correction_dictionaries: CorrectionDictionariesTable;
  rule_set_versions: RuleSetVersionsTable;
  inspections: InspectionsTable;
  inspection_hits: InspectionHitsTable;
  reinspection_jobs: ReinspectionJobsTable;
  search_docs: SearchDocsTable;
  search_doc_rules: SearchDocRulesTable;
  search_doc_topics: SearchDocTopicsTable;
  audit_log: AuditLogTable;
  audit_anchor: AuditAnchorTable;
  call_retention: CallRetentionTable;
  data_keys: DataKeysTable;
  export_requests: ExportRequestsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  call_assignments: CallAssignmentsTable;
  saved_filters: SavedFiltersTable;
}
