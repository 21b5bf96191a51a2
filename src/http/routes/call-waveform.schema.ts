import { z } from 'zod';

/*
 * The response of GET /api/v1/calls/:id/waveform, in a module of its own that imports only schemas: the web console
 * derives its types from it (import type) without pulling in server code.
 */

export const waveformSchema = z.object({
  durationMs: z.number().int().nonnegative().describe('length of the decoded recording'),
  channels: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      role: z.enum(['agent', 'customer', 'mixed', 'unknown']).describe('mixed: a mono recording carrying both sides'),
      peaks: z.array(z.number().min(0).max(1)).describe('largest absolute amplitude per bucket (0..1, 3 decimals); buckets are equal stretches of the recording'),
    }),
  ),
});
