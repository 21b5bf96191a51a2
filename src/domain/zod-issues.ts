import type { z } from 'zod';

/**
 * Turn zod issues into one line each, naming the field and what to do — the wording users see
 * in 4xx bodies and CLI errors.
 * @example formatIssues(err.issues) // ["agnetId: unknown field; …"]
 */
export function formatIssues(issues: z.core.$ZodIssue[], knownFields?: readonly string[]): string[] {
  return issues.map((i) => {
    const where = i.path.length ? i.path.join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') {
      const prefix = i.path.length ? `${i.path.join('.')}.` : '';
      const known = knownFields ? `; known fields: ${knownFields.join(', ')}; put integrator-specific fields under "extra"` : '';
      return `${i.keys.map((k) => prefix + k).join(', ')}: unknown field${i.keys.length > 1 ? 's' : ''}${known}`;
    }
    if (i.code === 'invalid_type') return `${where}: ${i.message}`;
    return `${where}: ${i.message}`;
  });
}
