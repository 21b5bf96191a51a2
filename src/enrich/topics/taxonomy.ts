import { z } from 'zod';
import { normalizePattern } from '../../rules/text/normalize-text.js';

/**
 * The topic taxonomy: what calls are about (物流延迟, 退款退货 …), each topic found by keywords
 * and regular expressions. A file users edit (templates/topics/default.yaml is the built-in one),
 * so the schema is strict (a misspelt `keyword` must not silently find nothing) and every problem
 * is reported at its file, path and line (parse-taxonomy.ts).
 */

const phrase = z
  .string()
  .trim()
  .min(2, 'a keyword has at least 2 characters (one character matches inside too many words)')
  .max(40, 'a keyword has at most 40 characters');

const pattern = z
  .string()
  .min(1)
  .max(500)
  .superRefine((p, ctx) => {
    try {
      new RegExp(normalizePattern(p), 'u');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(e as Error).message}` });
    }
  });

export const topicSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'an id is lower-case letters, digits and -, starting with a letter (e.g. logistics-delay)'),
    name: z.string().trim().min(1).max(40),
    description: z.string().max(500).optional(),
    keywords: z.array(phrase).min(1, 'a topic needs at least one keyword').max(500),
    patterns: z.array(pattern).max(50).optional(),
    exclude: z.array(phrase).max(200).optional(),
  })
  .strict();

export const speakerWeightsSchema = z
  .object({
    customer: z.number().min(0).max(5).default(1),
    agent: z.number().min(0).max(5).default(0.4),
    unknown: z.number().min(0).max(5).default(0.7),
  })
  .strict();

export const taxonomySchema = z
  .object({
    version: z.literal(1).default(1),
    /** Topics scoring below this are not assigned. */
    minConfidence: z.number().min(0).max(1).default(0.3),
    /** At most this many topics per call (the most confident). */
    maxTopics: z.number().int().min(1).max(20).default(3),
    speakerWeights: speakerWeightsSchema.default({ customer: 1, agent: 0.4, unknown: 0.7 }),
    topics: z.array(topicSchema).min(1, 'a taxonomy needs at least one topic').max(500),
  })
  .strict()
  .superRefine((t, ctx) => {
    const seen = new Map<string, number>();
    t.topics.forEach((topic, i) => {
      const first = seen.get(topic.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['topics', i, 'id'], message: `duplicate id ${topic.id} (also topics[${first}])` });
      else seen.set(topic.id, i);
    });
  });

export type Taxonomy = z.output<typeof taxonomySchema>;
export type TopicDefinition = Taxonomy['topics'][number];
export type SpeakerWeights = Taxonomy['speakerWeights'];
