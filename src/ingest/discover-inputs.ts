import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TingjianError, invalidMetadata, isTingjianError, type ErrorCode } from '../domain/errors.js';

/** One thing to ingest: a recording (with its sidecar metadata) or a transcript-only JSON file. */
export interface IngestInput {
  /** Recording path, or null for a transcript-only call. */
  audioPath: string | null;
  /** What error messages name: the recording (and its sidecar), the manifest row (and its file), or the transcript file. */
  source: string;
  /** Unvalidated metadata/transcript JSON; validated by the ingest service. */
  input: unknown;
}

/**
 * An input found but not readable (e.g. a sidecar that is not JSON, a manifest row naming a
 * missing file): reported like a rejected ingest, never ingested without its metadata.
 */
export interface RejectedInput {
  source: string;
  code: ErrorCode;
  message: string;
}

/** Turn an error about one input into its rejection (any other error stops the run). */
export function rejectionOf(source: string, e: unknown): RejectedInput {
  if (isTingjianError(e)) return { source, code: e.code, message: e.message };
  throw e;
}

export const AUDIO_EXTENSIONS = new Set(['.wav', '.mp3', '.ogg', '.opus', '.oga', '.amr', '.m4a', '.mp4', '.aac']);

async function walk(p: string, out: string[]): Promise<void> {
  const s = await stat(p).catch(() => null);
  // NOT_FOUND, not INVALID_METADATA: a mistyped path is not a metadata problem.
  if (!s) throw new TingjianError('NOT_FOUND', `${p} does not exist: give recordings, transcript JSON files or folders holding them`);
  if (s.isDirectory()) {
    const entries = (await readdir(p)).filter((e) => !e.startsWith('.')).sort();
    for (const e of entries) await walk(path.join(p, e), out);
  } else if (s.isFile()) out.push(path.resolve(p));
}

const sidecarOf = (audio: string) => audio.slice(0, audio.length - path.extname(audio).length) + '.json';

/**
 * A text file as integrators write it, without the UTF-8 BOM that Windows tools (Notepad, Excel
 * exports) put first and that JSON.parse rejects ("Unexpected token").
 */
export async function readTextWithoutBom(file: string): Promise<string> {
  return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
}

/** Read a JSON file as integrators write it (a UTF-8 BOM allowed); INVALID_METADATA when it is not JSON. */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readTextWithoutBom(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalidMetadata(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Expand files and folders into ingest inputs. A `.json` next to a recording with the same name is
 * its sidecar (metadata, and optionally a provided transcript); any other `.json` is a
 * transcript-only call. Other files are reported as skipped, not silently dropped; JSON that
 * does not parse is reported as rejected.
 * @example await discoverInputs(['samples/calls'])
 */
export async function discoverInputs(paths: string[]): Promise<{ inputs: IngestInput[]; skipped: string[]; rejected: RejectedInput[] }> {
  const files: string[] = [];
  for (const p of paths) await walk(p, files);
  const found = new Set(files);
  // A Set lookup per recording: `unique.includes` made a folder of N recordings O(N²).
  const unique = [...found];
  const audio = unique.filter((f) => AUDIO_EXTENSIONS.has(path.extname(f).toLowerCase()));
  const sidecars = new Set(audio.map(sidecarOf));
  const inputs: IngestInput[] = [];
  const skipped: string[] = [];
  // One unreadable JSON file is that file's rejection, not the end of the batch: the other
  // files are still ingested (it used to throw here and store nothing at all).
  const rejected: RejectedInput[] = [];
  for (const f of unique) {
    const ext = path.extname(f).toLowerCase();
    if (AUDIO_EXTENSIONS.has(ext)) {
      const sidecar = sidecarOf(f);
      const hasSidecar = found.has(sidecar) || (await stat(sidecar).catch(() => null))?.isFile();
      // Name the recording first: an audio error reported against the sidecar pointed at the wrong file.
      const source = hasSidecar ? `${f} (sidecar ${path.basename(sidecar)})` : f;
      try {
        inputs.push({ audioPath: f, source, input: hasSidecar ? await readJsonFile(sidecar) : {} });
      } catch (e) {
        rejected.push(rejectionOf(source, e));
      }
    } else if (ext === '.json' && !sidecars.has(f)) {
      try {
        inputs.push({ audioPath: null, source: f, input: await readJsonFile(f) });
      } catch (e) {
        rejected.push(rejectionOf(f, e));
      }
    } else if (!sidecars.has(f)) {
      skipped.push(f);
    }
  }
  return { inputs, skipped, rejected };
}
