import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { TingjianError } from '../domain/errors.js';
import { packageFolder } from '../platform/package-path.js';
import { formatProblems, parseLocatedYaml } from '../rules/language/parse-located-yaml.js';
import type { RuleFileError } from '../rules/language/parse-rule-files.js';
import { matchSchema, retentionPolicySchema, retentionRuleSchema, type RetentionPolicy } from './retention-policy.js';

/** Problems are reported like rule files': `retention.yaml:12:7 rules[3].keepDays: …`. */
export type RetentionPolicyError = RuleFileError;

const invalidPolicy = (errors: RetentionPolicyError[]) =>
  new TingjianError('CONFIG_INVALID', `the retention policy has ${formatProblems(errors)}\n(fix the file set by retentionPolicyFile, env TINGJIAN_RETENTION_POLICY)`, { errors });

/** The fields allowed in the object at `parent`, for an unknown field's message. */
function allowedFields(parent: ReadonlyArray<string | number>): string[] {
  const shape = parent.length === 0 ? retentionPolicySchema.shape : parent.length === 2 ? retentionRuleSchema.shape : matchSchema.shape;
  return Object.keys(shape);
}

/** A union's own message is "Invalid input": say what its first branch wanted instead. */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_union' && issue.errors[0]?.[0]) return `${issue.errors[0][0].message} (a value or a list of values)`;
  return issue.message;
}

/**
 * A retention policy from YAML (or JSON) text, validated; throws CONFIG_INVALID listing every
 * problem with the file, the path and the line.
 * @example parseRetentionPolicy('defaultKeepDays: 180\n', 'retention.yaml')
 */
export function parseRetentionPolicy(text: string, name = 'retention policy'): RetentionPolicy {
  const parsed = parseLocatedYaml(text, name, retentionPolicySchema, { allowedFields, messageOf });
  if ('errors' in parsed) throw invalidPolicy(parsed.errors);
  return parsed.value;
}

/** A policy file; an unreadable one is CONFIG_INVALID naming the setting. */
export function loadRetentionPolicy(file: string): RetentionPolicy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TingjianError('CONFIG_INVALID', `retentionPolicyFile (env TINGJIAN_RETENTION_POLICY) ${file} cannot be read: ${(e as Error).message}`);
  }
  return parseRetentionPolicy(text, file);
}

/** templates/retention/default.yaml, found from src/ or dist/. */
export const defaultRetentionPolicyFile = (): string => `${packageFolder('templates/retention', import.meta.url)}/default.yaml`;

/** The configured policy file, or the built-in one. */
export const loadConfiguredRetentionPolicy = (file: string | undefined): RetentionPolicy => loadRetentionPolicy(file ?? defaultRetentionPolicyFile());
