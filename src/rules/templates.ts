import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageFolder } from '../platform/package-path.js';
import type { Database } from '../ports/repositories.js';
import type { RuleFileInput } from './language/parse-rule-files.js';
import { RuleSetService } from './rule-set-service.js';

/** The built-in rule templates (templates/rules/*.yaml), found from src/ (tsx) or dist/. */
export const templatesDir = (): string => packageFolder('templates/rules', import.meta.url);

/** Reads rule files: each path a .yaml/.yml/.json file, or a folder of them (sorted by name). */
export async function readRuleFiles(paths: string[]): Promise<RuleFileInput[]> {
  const out: RuleFileInput[] = [];
  for (const p of paths) {
    const entries = (await readdir(p, { withFileTypes: true }).catch(() => null))?.filter((e) => e.isFile() && /\.(ya?ml|json)$/i.test(e.name));
    const files = entries ? entries.map((e) => path.join(p, e.name)).sort() : [p];
    for (const f of files) out.push({ name: entries ? path.join(p, path.basename(f)) : f, text: await readFile(f, 'utf8') });
  }
  return out;
}

export const templateFiles = (): Promise<RuleFileInput[]> => readRuleFiles([templatesDir()]);

/**
 * Publishes the built-in templates as the first version when no rule set version exists yet
 * (`tingjian init`, the demo). Never touches a deployment that already has versions: its rules
 * are the QA team's own.
 */
export async function installTemplates(db: Database): Promise<{ installed: boolean; version: number | null }> {
  const versions = await db.repos.ruleSets.listVersions();
  if (versions.length) return { installed: false, version: (await db.repos.ruleSets.latestPublishedVersion()) ?? null };
  const created = await new RuleSetService(db).create(await templateFiles(), { replaceAll: true, publish: true, note: '内置模板 built-in templates', createdBy: 'tingjian init' });
  return { installed: true, version: created.version };
}
