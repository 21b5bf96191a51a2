import { z } from 'zod';
import { CALL_CHANNELS } from '../domain/call.js';

/**
 * The retention policy: how long calls are kept, per business line, customer tag and channel.
 * A file users edit (templates/retention/default.yaml is the built-in one), so the schema is strict
 * — a misspelt `bussinessLine` must not silently match nothing and let calls expire early — and
 * every problem is reported at its file, path and line (parse-retention-policy.ts).
 *
 * Several rules may match a call: the LONGEST keep wins (not the first). Retention duties add up:
 * a finance call tagged 教育退款 must satisfy both the 5-year and the 3-year duty, and the order of
 * rules in a file must not be able to cut a legal minimum short. Ties go to the earlier rule.
 */

/** 1 day to 100 years. */
const days = z.number().int('a whole number of days').min(1, 'keep a call at least 1 day').max(36_500, 'at most 36500 days (100 years)');

const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z.union([item, z.array(item).min(1, 'list at least one value').max(500)]).transform((v): Array<z.output<T>> => (Array.isArray(v) ? v : [v]));

const name = z.string().trim().min(1).max(200);

export const matchSchema = z
  .object({
    /** The call's businessLine is one of these. */
    businessLine: oneOrMany(name).optional(),
    /** One of the call's customerTags is one of these. */
    customerTag: oneOrMany(name).optional(),
    /** The call's channel (phone, chat, email) is one of these. */
    channel: oneOrMany(z.enum(CALL_CHANNELS)).optional(),
  })
  .strict()
  .refine((m) => m.businessLine !== undefined || m.customerTag !== undefined || m.channel !== undefined, {
    message: 'a match needs businessLine, customerTag or channel (for every call, set defaultKeepDays instead)',
  });

const RESERVED_IDS = ['default', 'misdial'];

export const retentionRuleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,63}$/, 'an id is lower-case letters, digits and -, starting with a letter (e.g. finance)')
      .refine((id) => !RESERVED_IDS.includes(id), 'default and misdial are the names of the built-in cases: pick another id'),
    description: z.string().max(500).optional(),
    /** Every field given must match. */
    match: matchSchema,
    keepDays: days,
    /** Calls this rule matches are never purged early as misdials (a duty to keep every call). */
    keepMisdials: z.boolean().default(false),
  })
  .strict();

export const retentionPolicySchema = z
  .object({
    version: z.literal(1).default(1),
    /** Days a call no rule matches is kept. */
    defaultKeepDays: days,
    /** Phone calls shorter than this many seconds are misdials… */
    misdialMaxSeconds: z.number().int().min(1).max(600).optional(),
    /** …kept only this many days (when shorter than what the rules say). */
    misdialKeepDays: days.optional(),
    rules: z.array(retentionRuleSchema).max(500).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.misdialMaxSeconds === undefined) !== (p.misdialKeepDays === undefined)) {
      const missing = p.misdialMaxSeconds === undefined ? 'misdialMaxSeconds' : 'misdialKeepDays';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'misdialMaxSeconds and misdialKeepDays go together: set both, or neither' });
    }
    const seen = new Map<string, number>();
    p.rules.forEach((r, i) => {
      const first = seen.get(r.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate id ${r.id} (also rules[${first}])` });
      else seen.set(r.id, i);
    });
  });

export type RetentionPolicy = z.output<typeof retentionPolicySchema>;
export type RetentionRule = z.output<typeof retentionRuleSchema>;
