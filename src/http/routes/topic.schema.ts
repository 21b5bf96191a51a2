import { z } from 'zod';

/*
 * The topic taxonomy as GET /api/v1/topics sends it, in a module that imports only zod: the web
 * console derives its type from it (import type) without pulling in server code.
 */

export const topicListSchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), keywords: z.number().int(), patterns: z.number().int() })),
});
