import { ROLE_LABELS, ROLE_PERMISSIONS, ROLES, PERMISSIONS, type Role } from './permissions.js';

/** A route and what it needs, as the HTTP layer declares it (src/http/auth/authorization.ts). */
export interface RouteNeed {
  method: string;
  url: string;
  need: string;
  audit: string | null;
}

export const MATRIX_START = '<!-- access-matrix:start (npm run docs:access writes this part) -->';
export const MATRIX_END = '<!-- access-matrix:end -->';
export const MATRIX_COLUMNS = [...ROLES, 'anonymous'] as const;
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

/** Whether a role (or nobody signed in) gets past the authorisation of a route. */
export function allows(need: string, who: MatrixColumn): boolean {
  if (need === 'public') return true;
  if (who === 'anonymous') return false;
  if (need === 'authenticated') return true;
  return ROLE_PERMISSIONS[who as Role].has(need as never);
}

/**
 * The docs' tables: roles × permissions, and every route × role (✓ allowed, · denied). The route
 * test (test/e2e/http-route-role-matrix.test.ts) reads the route table back from docs/security.md
 * and checks both that it matches the code and that the server answers accordingly.
 */
export function renderAccessMatrix(routes: RouteNeed[]): string {
  const sorted = [...routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  const roleHead = `| permission | ${ROLES.map((r) => `${r} ${ROLE_LABELS[r]}`).join(' | ')} |`;
  const perms = PERMISSIONS.map((p) => `| \`${p}\` | ${ROLES.map((r) => (ROLE_PERMISSIONS[r].has(p) ? '✓' : '·')).join(' | ')} |`);
  const routeHead = `| method | path | needs | audited as | ${MATRIX_COLUMNS.join(' | ')} |`;
  const rows = sorted.map((r) => `| ${r.method} | \`${r.url}\` | ${r.need} | ${r.audit ?? '—'} | ${MATRIX_COLUMNS.map((c) => (allows(r.need, c) ? '✓' : '·')).join(' | ')} |`);
  const sep = (n: number) => `|${' --- |'.repeat(n)}`;
  return [
    MATRIX_START,
    '',
    '### Roles and permissions',
    '',
    roleHead,
    sep(ROLES.length + 1),
    ...perms,
    '',
    '### Routes',
    '',
    'Allowed (✓) means the request passes authorisation; the data scope then still limits which calls it sees. Denied (·) is 403 for a signed-in principal without the permission and 401 for anonymous requests.',
    '',
    routeHead,
    sep(MATRIX_COLUMNS.length + 4),
    ...rows,
    '',
    MATRIX_END,
  ].join('\n');
}

/** The route rows of the table in a document: method, path, and ✓/· per column. */
export function parseRouteMatrix(doc: string): Array<{ method: string; url: string; need: string; audit: string | null; allowed: Record<MatrixColumn, boolean> }> {
  const start = doc.indexOf(MATRIX_START);
  const end = doc.indexOf(MATRIX_END);
  if (start < 0 || end < start) throw new Error('docs/security.md has no access matrix: run npm run docs:access');
  const lines = doc.slice(start, end).split('\n');
  const from = lines.findIndex((l) => l.startsWith('| method |'));
  return lines
    .slice(from + 2)
    .filter((l) => l.startsWith('| '))
    .map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      const [method, url, need, audit, ...marks] = cells;
      return {
        method: method!,
        url: url!.replace(/`/g, ''),
        need: need!,
        audit: audit === '—' ? null : audit!,
        allowed: Object.fromEntries(MATRIX_COLUMNS.map((c, i) => [c, marks[i] === '✓'])) as Record<MatrixColumn, boolean>,
      };
    });
}
