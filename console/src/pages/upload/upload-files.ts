/** One thing to send to POST /api/v1/calls: a recording (with optional metadata JSON) or a transcript JSON. */
export interface UploadEntry {
  key: string;
  kind: 'recording' | 'transcript';
  file: File;
  metadata?: File;
  phase: 'ready' | 'uploading' | 'accepted' | 'failed';
  /** Upload progress 0..1. */
  progress: number;
  error?: string;
  callId?: string;
  created?: boolean;
  matchedBy?: 'externalId' | 'sha256';
}

const isJson = (f: File) => /\.json$/i.test(f.name) || f.type === 'application/json';
const baseName = (name: string) => name.replace(/\.[^.]+$/, '').toLowerCase();

let counter = 0;
const entry = (kind: UploadEntry['kind'], file: File, metadata?: File): UploadEntry => ({ key: `${Date.now()}-${counter++}`, kind, file, ...(metadata ? { metadata } : {}), phase: 'ready', progress: 0 });

/**
 * Adds picked files to the list: each recording is an entry; a .json with a recording's name
 * (call-001.wav + call-001.json), picked now or before, becomes its metadata; any other .json is a
 * transcript of its own.
 */
export function addFiles(list: UploadEntry[], files: readonly File[]): UploadEntry[] {
  const out = [...list];
  const audio = files.filter((f) => !isJson(f));
  for (const f of audio) out.push(entry('recording', f));
  for (const j of files.filter(isJson)) {
    const i = out.findIndex((e) => e.kind === 'recording' && e.phase === 'ready' && !e.metadata && baseName(e.file.name) === baseName(j.name));
    if (i >= 0) out[i] = { ...out[i]!, metadata: j };
    else out.push(entry('transcript', j));
  }
  return out;
}
