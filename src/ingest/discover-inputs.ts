import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalidMetadata } from '../domain/errors.js';

/** One thing to ingest: a recording (with its sidecar metadata) or a transcript-only JSON file. */
export interface IngestInput {
  /** Recording path, or null for a transcript-only call. */
  audioPath: string | null;
  /** Where the metadata came from (sidecar, manifest row, transcript file), for error messages. */
  source: string;
  /** Unvalidated metadata/transcript JSON; validated by the ingest service. */
  input: unknown;
}

export const AUDIO_EXTENSIONS = new Set(['.wav', '.mp3', '.ogg', '.opus', '.oga', '.amr', '.m4a', '.mp4', '.aac']);

async function walk(p: string, out: string[]): Promise<void> {
  const s = await stat(p).catch(() => null);
  if (!s) throw invalidMetadata(`${p} does not exist`);
  if (s.isDirectory()) {
    const entries = (await readdir(p)).filter((e) => !e.startsWith('.')).sort();
    for (const e of entries) await walk(path.join(p, e), out);
  } else if (s.isFile()) out.push(path.resolve(p));
}

const sidecarOf = (audio: string) => audio.slice(0, audio.length - path.extname(audio).length) + '.json';

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidMetadata(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Expand files and folders into ingest inputs. A `.json` next to a recording with the same name is
 * its sidecar (metadata, and optionally a provided transcript); any other `.json` is a
 * transcript-only call. Other files are reported as skipped, not silently dropped.
 * @example await discoverInputs(['samples/calls'])
 */
export async function discoverInputs(paths: string[]): Promise<{ inputs: IngestInput[]; skipped: string[] }> {
  const files: string[] = [];
  for (const p of paths) await walk(p, files);
  const unique = [...new Set(files)];
  const audio = unique.filter((f) => AUDIO_EXTENSIONS.has(path.extname(f).toLowerCase()));
  const sidecars = new Set(audio.map(sidecarOf));
  const inputs: IngestInput[] = [];
  const skipped: string[] = [];
  for (const f of unique) {
    const ext = path.extname(f).toLowerCase();
    if (AUDIO_EXTENSIONS.has(ext)) {
      const sidecar = sidecarOf(f);
      const hasSidecar = unique.includes(sidecar) || (await stat(sidecar).catch(() => null))?.isFile();
      inputs.push({ audioPath: f, source: hasSidecar ? sidecar : f, input: hasSidecar ? await readJson(sidecar) : {} });
    } else if (ext === '.json' && !sidecars.has(f)) {
      inputs.push({ audioPath: null, source: f, input: await readJson(f) });
    } else if (!sidecars.has(f)) {
      skipped.push(f);
    }
  }
  return { inputs, skipped };
}
