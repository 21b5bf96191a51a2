import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { invalidMetadata } from '../domain/errors.js';
import type { IngestInput } from './discover-inputs.js';

/** CSV columns that hold lists or numbers; everything else is passed as text. */
const LIST_COLUMNS = new Set(['customerTags', 'channelRoles']);
const NUMBER_COLUMNS = new Set(['durationMs']);

/**
 * Read a manifest (CSV with a header row, or JSONL) into ingest inputs. Each row names its
 * recording in a `file` column (relative to the manifest) — or has `segments` (JSONL) for a
 * transcript-only call — and carries the call metadata in the other columns. In CSV, list
 * columns are separated by `|` (customerTags: VIP|投诉). Empty cells mean "not given".
 * @example await readManifest('calls.csv')
 */
export async function readManifest(manifestPath: string): Promise<IngestInput[]> {
  const text = await readFile(manifestPath, 'utf8');
  const base = path.dirname(path.resolve(manifestPath));
  const rows = manifestPath.toLowerCase().endsWith('.jsonl') ? parseJsonl(text, manifestPath) : parseCsv(text, manifestPath);
  return rows.map(({ row, line }) => {
    const { file, ...input } = row;
    const source = `${manifestPath}:${line}`;
    if (file !== undefined && typeof file !== 'string') throw invalidMetadata(`${source}: "file" must be a path`);
    if (!file && !('segments' in input)) throw invalidMetadata(`${source}: no "file" column: name the recording (relative to the manifest)`);
    return { audioPath: file ? path.resolve(base, file) : null, source, input };
  });
}

function parseJsonl(text: string, name: string): Array<{ row: Record<string, unknown>; line: number }> {
  const out: Array<{ row: Record<string, unknown>; line: number }> = [];
  text.split('\n').forEach((l, i) => {
    if (!l.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(l);
    } catch (e) {
      throw invalidMetadata(`${name}:${i + 1}: not valid JSON: ${(e as Error).message}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw invalidMetadata(`${name}:${i + 1}: each line must be a JSON object`);
    out.push({ row: row as Record<string, unknown>, line: i + 1 });
  });
  return out;
}

function parseCsv(text: string, name: string): Array<{ row: Record<string, unknown>; line: number }> {
  let records: Array<Record<string, string>>;
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw invalidMetadata(`${name}: not a valid CSV manifest: ${(e as Error).message}`);
  }
  return records.map((r, i) => {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (v === '') continue;
      if (LIST_COLUMNS.has(k)) row[k] = v.split('|').map((s) => s.trim()).filter(Boolean);
      else if (NUMBER_COLUMNS.has(k) && /^\d+$/.test(v)) row[k] = Number(v);
      else if (k.startsWith('extra.')) row.extra = { ...(row.extra as Record<string, string> | undefined), [k.slice(6)]: v };
      else row[k] = v;
    }
    return { row, line: i + 2 };
  });
}
