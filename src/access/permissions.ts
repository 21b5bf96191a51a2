/**
 * Who may do what: the roles of a contact center's QA operation and the permissions each holds.
 * This table is the single source for the HTTP authorisation hook, the API token scopes and the
 * route × role matrix in docs/security.md (test/e2e/http-route-role-matrix.test.ts checks every
 * route against it). Pure data, no I/O.
 */
export const ROLES = ['admin', 'qa_manager', 'inspector', 'team_lead', 'agent', 'auditor', 'integration'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** List, read and search calls within the data scope (transcripts, analysis, inspections). */
  'calls:read',
  /** Play or download a call's recording within the data scope. */
  'audio:listen',
  /** See personal data (customer phone, ID/bank card numbers …) unmasked; without it everything is masked. */
  'pii:view',
  /** Upload recordings and transcripts. */
  'calls:ingest',
  /** Run a failed call's pipeline again. */
  'calls:retry',
  /** Delete a call before its retention expires (refused in WORM mode, for everyone). */
  'calls:delete',
  /** Assign calls to inspectors (part of an inspector's data scope). */
  'calls:assign',
  /** Analyses over all stored calls (topic discovery): no data scope applies, so managers only. */
  'insights:read',
  /** Pipeline counts and worker state. */
  'system:read',
  'rules:read',
  /** Create draft rule set versions and dry-run them over stored calls. */
  'rules:write',
  'rules:publish',
  /** Re-inspect stored calls with a rule set version. */
  'reinspect:run',
  'dictionary:read',
  'dictionary:write',
  /** Ask for an export (audio, transcripts, reports). */
  'exports:request',
  /** Approve or reject someone else's export request. */
  'exports:approve',
  /** Search and export the audit log. */
  'audit:read',
  /** Accounts, roles, data scopes, API tokens of anyone. */
  'users:manage',
  /** Retention policies, legal holds, purges. */
  'retention:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL: readonly Permission[] = PERMISSIONS;
const READ_CALLS: readonly Permission[] = ['calls:read', 'audio:listen'];

/**
 * The role table. Separation of duties: the auditor reads the audit log and nothing else; admins
 * run the system but do not read the audit trail of their own actions (auditors do).
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(ALL.filter((p) => p !== 'audit:read')),
  qa_manager: new Set<Permission>([
    ...READ_CALLS,
    'pii:view',
    'calls:ingest',
    'calls:retry',
    'calls:assign',
    'insights:read',
    'system:read',
    'rules:read',
    'rules:write',
    'rules:publish',
    'reinspect:run',
    'dictionary:read',
    'dictionary:write',
    'exports:request',
    'exports:approve',
    'retention:manage',
  ]),
  inspector: new Set<Permission>([...READ_CALLS, 'rules:read', 'rules:write', 'dictionary:read', 'exports:request']),
  team_lead: new Set<Permission>([...READ_CALLS, 'rules:read', 'exports:request']),
  agent: new Set<Permission>([...READ_CALLS]),
  auditor: new Set<Permission>(['audit:read']),
  integration: new Set<Permission>(['calls:read', 'calls:ingest', 'calls:retry', 'system:read']),
};

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
export const isPermission = (s: string): s is Permission => (PERMISSIONS as readonly string[]).includes(s);

/** Chinese names for the console and the docs. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: '系统管理员',
  qa_manager: '质检主管',
  inspector: '质检员',
  team_lead: '班组长',
  agent: '坐席',
  auditor: '审计员',
  integration: '系统集成',
};
