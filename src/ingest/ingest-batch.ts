import { isTingjianError } from '../domain/errors.js';
import type { AcceptCallResult, CallIngestService } from './call-ingest-service.js';
import type { IngestInput } from './discover-inputs.js';
import path from 'node:path';

export type BatchItemResult =
  | { source: string; ok: true; result: AcceptCallResult }
  | { source: string; ok: false; code: string; message: string };

/**
 * Ingest many inputs with bounded concurrency. One bad file never stops the batch: its error is
 * reported against its source and the rest go on.
 */
export async function ingestBatch(
  service: CallIngestService,
  inputs: IngestInput[],
  opts: { concurrency: number; onItem?: (r: BatchItemResult) => void },
): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      const item = inputs[i]!;
      let r: BatchItemResult;
      try {
        const result = item.audioPath
          ? await service.acceptFile(item.audioPath, item.input, path.basename(item.audioPath))
          : await service.accept({ input: item.input });
        r = { source: item.source, ok: true, result };
      } catch (e) {
        r = isTingjianError(e)
          ? { source: item.source, ok: false, code: e.code, message: e.message }
          : { source: item.source, ok: false, code: (e as NodeJS.ErrnoException).code ?? 'INTERNAL', message: (e as Error).message };
      }
      results[i] = r;
      opts.onItem?.(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  return results;
}
