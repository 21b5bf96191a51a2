import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { TingjianError, invalidMetadata } from '../domain/errors.js';
import { readTextWithoutBom, rejectionOf, type IngestInput, type RejectedInput } from './discover-inputs.js';

/** CSV columns that hold lists or numbers; everything else is passed as text. */
const LIST_COLUMNS = new Set(['customerTags', 'channelRoles']);
const NUMBER_COLUMNS = new Set(['durationMs', 'startedAt']);

/**
 * Read a manifest (CSV with a header row, or JSONL) into ingest inputs. Each row names its
 * recording in a `file` column (relative to the manifest) — or has `segments` (JSONL) for a
 * transcript-only call — and carries the call metadata in the other columns. In CSV, list
 * columns are separated by `|` (customerTags: VIP|投诉). Empty cells mean "not given".
 * A row that cannot be used (no file, a file that does not exist, a JSONL line that is not JSON)
 * is returned as rejected and the other rows go on; an unreadable manifest throws.
 * @example await readManifest('calls.csv')
 */
export async function readManifest(manifestPath: string): Promise<{ inputs: IngestInput[]; rejected: RejectedInput[] }> {
  const text = await readTextWithoutBom(manifestPath);
  const base = path.dirname(path.resolve(manifestPath));
  const rows = manifestPath.toLowerCase().endsWith('.jsonl') ? parseJsonl(text) : parseCsv(text, manifestPath);
  const inputs: IngestInput[] = [];
  const rejected: RejectedInput[] = [];
  // Per row, not all-or-nothing: one bad row used to abort the whole manifest (nothing stored), and
  // a missing file surfaced later as a bare ENOENT. The source names the row and its file.
  for (const r of rows) {
    const source = `${manifestPath}:${r.line}${typeof r.row?.file === 'string' && r.row.file ? ` (${r.row.file})` : ''}`;
    try {
      if ('error' in r) throw r.error;
      const { file, ...input } = r.row;
      if (file !== undefined && typeof file !== 'string') throw invalidMetadata(`"file" must be a path (relative to the manifest)`, { problems: ['file'] });
      if (!file && !('segments' in input)) throw invalidMetadata(`no "file" column: name the recording (relative to the manifest), or give "segments" for a transcript-only call`, { problems: ['file'] });
      const audioPath = file ? path.resolve(base, file) : null;
      if (audioPath && !(await stat(audioPath).catch(() => null))?.isFile()) {
        throw new TingjianError('NOT_FOUND', `file ${audioPath} does not exist (the "file" column is relative to the manifest's folder ${base})`, { file: audioPath });
      }
      inputs.push({ audioPath, source, input });
    } catch (e) {
      rejected.push(rejectionOf(source, e));
    }
  }
  return { inputs, rejected };
}

type ManifestRow = { row: Record<string, unknown>; line: number } | { row?: undefined; line: number; error: TingjianError };

function parseJsonl(text: string): ManifestRow[] {
  const out: ManifestRow[] = [];
  text.split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(l);
    } catch (e) {
      out.push({ line: i + 1, error: invalidMetadata(`not valid JSON: ${(e as Error).message}`) });
      return;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) out.push({ line: i + 1, error: invalidMetadata('each line must be a JSON object') });
    else out.push({ row: row as Record<string, unknown>, line: i + 1 });
  });
  return out;
}

function parseCsv(text: string, name: string): ManifestRow[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    // info: the real line of each row, so messages point at the right line even after blank lines.
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (e) {
    throw invalidMetadata(`${name}: not a valid CSV manifest: ${(e as Error).message}`);
  }
  return records.map(({ record: r, info }) => {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (v === '') continue;
      if (LIST_COLUMNS.has(k)) row[k] = v.split('|').map((s) => s.trim()).filter(Boolean);
      else if (NUMBER_COLUMNS.has(k) && /^\d+$/.test(v)) row[k] = Number(v);
      else if (k.startsWith('extra.')) row.extra = { ...(row.extra as Record<string, string> | undefined), [k.slice(6)]: v };
      else row[k] = v;
    }
    return { row, line: info.lines };
  });
}
