import type { AuditEntry } from './audit-chain.js';

/**
 * Audit exports, pure text. JSON Lines: one entry per line with every stored field exactly (the
 * details JSON text as a string), so anyone holding the key can recompute each hash
 * (docs/security.md); `time` is added for readers and is not hashed. CSV: the same columns for
 * spreadsheets.
 */
export const AUDIT_EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_EXPORT_CONTENT_TYPE: Record<AuditExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const COLUMNS = [
  'seq',
  'time',
  'at',
  'actorUserId',
  'actorUsername',
  'actorRole',
  'actorVia',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'ip',
  'userAgent',
  'details',
  'prevHash',
  'hash',
] as const;

/** seq first, then the time for readers, then the rest as stored. */
const withTime = ({ seq, ...rest }: AuditEntry) => ({ seq, time: new Date(rest.at).toISOString(), ...rest });

/**
 * A CSV cell: quoted when it holds a quote, comma or line break; a cell a spreadsheet would run
 * as a formula (= + - @, tab, CR first) gets a leading apostrophe — the usernames and user agents
 * come from clients.
 */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The text before the first entry. */
export const exportHeader = (format: AuditExportFormat): string => (format === 'csv' ? `${COLUMNS.join(',')}\r\n` : '');

/** Entries as lines of the format (each line ends with its line break). */
export function exportLines(format: AuditExportFormat, entries: readonly AuditEntry[]): string {
  if (format === 'jsonl') return entries.map((e) => `${JSON.stringify(withTime(e))}\n`).join('');
  return entries
    .map((e) => {
      const row = withTime(e);
      return `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
    })
    .join('');
}

/** The whole export as chunks of text, for a file or an HTTP response. */
export async function* exportText(format: AuditExportFormat, batches: AsyncIterable<readonly AuditEntry[]>): AsyncIterable<string> {
  yield exportHeader(format);
  for await (const batch of batches) yield exportLines(format, batch);
}
