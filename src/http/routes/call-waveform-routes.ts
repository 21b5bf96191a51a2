import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/app-context.js';
import { CallWaveforms } from '../../calls/call-waveform.js';
import { WAVEFORM_BASE_POINTS } from '../../domain/waveform.js';
import { access } from '../auth/route-access.js';
import { callInScopeOf, showsPii } from '../auth/scoped-call.js';
import { idParams } from './call-read-routes.js';
import { waveformSchema } from './call-waveform.schema.js';

/** A call's waveform for the console's player (peaks per channel, nothing decoded in the browser). */
export const callWaveformRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  const waveforms = new CallWaveforms({ db: ctx.db, blobs: ctx.blobs, ffmpegPath: () => ctx.media.ffmpegPath() });
  app.get(
    '/api/v1/calls/:id/waveform',
    {
      config: access('audio:listen', 'call.waveform'),
      schema: {
        tags: ['calls'],
        summary: "The recording's waveform: peak amplitude per bucket, per channel",
        description:
          'Computed from the original recording on the first request and stored with the call, so later requests are a database read. For roles without pii:view the stretches of personal data (as GET …/audio covers them with a tone) are drawn at the tone\'s level; 409 while the call has no text analysis. At most `points` peaks per channel (fewer for a recording with fewer samples). 404 for a call without a recording (chats, transcript-only calls) and for a call outside the data scope; 422 INVALID_AUDIO when the stored recording cannot be decoded.',
        params: idParams,
        querystring: z.object({ points: z.coerce.number().int().min(200).max(WAVEFORM_BASE_POINTS).default(2000).describe('peaks per channel, 200–8000') }).strict(),
        response: { 200: waveformSchema },
      },
    },
    async (req) => {
      await callInScopeOf(req, ctx.db, req.params.id);
      // As the audio: without pii:view, the personal data's stretches are drawn covered.
      return showsPii(req) ? waveforms.get(req.params.id, req.query.points) : waveforms.getCovered(req.params.id, req.query.points);
    },
  );
};
