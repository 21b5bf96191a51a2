import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../support/factories.js';
import { REPO_ROOT, runCli, said, withDatabase } from '../support/cli.js';

/**
 * `tingjian dictionary` as a user runs it: set, show, versions and try against one data folder,
 * and bad files refused with the file and the field named, storing nothing.
 */
const tmp = tempDir('tingjian-e2e-dictionary-');
after(() => tmp.cleanup());
const dataDir = path.join(tmp.dir, 'data');
const sample = path.join(REPO_ROOT, 'samples/correction-dictionary.json');
const sampleDoc = JSON.parse(readFileSync(sample, 'utf8')) as { note: string; terms: Array<{ term: string }> };
const dictionary = (...args: string[]) => runCli(['dictionary', ...args], { dataDir });
const file = (name: string, content: string) => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
};

test('before any save: versions says how to save one; show fails with NOT_FOUND', async () => {
  const versions = await dictionary('versions');
  assert.equal(versions.code, 0, said(versions));
  assert.match(versions.stdout, /tingjian dictionary set <file\.json>/);
  const show = await dictionary('show');
  assert.equal(show.code, 2, said(show));
  assert.match(show.stderr, /^error NOT_FOUND: no correction dictionary has been saved yet/);
});

test('set → versions → show → try', async () => {
  const first = await dictionary('set', sample);
  assert.equal(first.code, 0, said(first));
  assert.equal(first.stdout, `saved correction dictionary version 1 (${sampleDoc.terms.length} terms) from ${sample}\n`);
  const second = await dictionary('set', sample, '--note', '第二版');
  assert.match(second.stdout, /version 2/);

  const versions = await dictionary('versions');
  assert.equal(versions.code, 0, said(versions));
  const rows = versions.stdout.trim().split('\n').slice(2);
  assert.equal(rows.length, 2);
  assert.match(rows[0]!, /^2\s+\S+Z\s+cli( \(.+\))?\s+21\s+第二版$/);
  assert.match(rows[1]!, /^1\s/);

  const show = await dictionary('show');
  assert.equal(show.code, 0, said(show));
  assert.match(show.stdout, /^correction dictionary version 2: 21 terms/);
  assert.match(show.stdout, /note: 第二版/);
  assert.match(show.stdout, /圆通快递\s+圆桶快递\s+pinyin ≥ 0\.8/);
  assert.match(show.stdout, /花呗\s+花被, 花贝\s+aliases only/);

  const json = await dictionary('show', '--version', '1', '--json');
  assert.deepEqual(JSON.parse(json.stdout), sampleDoc, 'version 1 as it was saved');
  // What show --json prints can be saved back as is.
  const roundTrip = await dictionary('set', file('exported.json', json.stdout));
  assert.match(roundTrip.stdout, /version 3/);

  const tried = await dictionary('try', '我的圆桶快递到了吗，这个豆沙塞的口红还有吗');
  assert.equal(tried.code, 0, said(tried));
  assert.deepEqual(tried.stdout.split('\n'), [
    '我的圆通快递到了吗，这个豆沙色的口红还有吗',
    '  圆桶快递 → 圆通快递  at 2, alias',
    '  豆沙塞 → 豆沙色  at 12, pinyin 0.967',
    '  (dictionary version 3)',
    '',
  ]);
  const unchanged = await dictionary('try', '请问本地仓库位置在哪', '--json');
  assert.deepEqual(JSON.parse(unchanged.stdout), { version: 3, text: '请问本地仓库位置在哪', corrections: [] });
  const missing = await dictionary('show', '--version', '9');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /version 9 does not exist; versions are 1 to 3/);
});

test('try --dictionary tries a file not saved yet, without a data folder', async () => {
  const dir = path.join(tmp.dir, 'elsewhere');
  const draft = file('draft.json', JSON.stringify({ terms: [{ term: '顺丰速运' }] }));
  const r = await runCli(['dictionary', 'try', '顺风速运到了', '--dictionary', path.basename(draft)], { cwd: tmp.dir, dataDir: dir });
  assert.equal(r.code, 0, said(r));
  assert.match(r.stdout, /^顺丰速运到了\n {2}顺风速运 → 顺丰速运 {2}at 0, pinyin 1\n {2}\(draft\.json\)/);
  assert.equal(existsSync(dir), false, 'no database was opened');
});

test('bad files are refused naming the file (and the field); nothing is stored', async () => {
  const versionsBefore = await withDatabase(dataDir, (db) => db.repos.corrections.listVersions());
  const cases: Array<[string, RegExp]> = [
    [file('typo.json', JSON.stringify({ terms: [{ term: '圆通快递', alias: ['圆桶快递'] }] })), /^error INVALID_REQUEST: invalid \S*typo\.json: terms\.0\.alias: unknown field; a term has term, aliases, keep, minSimilarity\n$/],
    [file('dup.json', JSON.stringify({ terms: [{ term: '花呗' }, { term: '花呗' }] })), /invalid \S*dup\.json: terms\.1\.term: "花呗" is the term of terms\[0\]/],
    [file('broken.json', '{"terms": ['), /^error INVALID_REQUEST: \S*broken\.json is not valid JSON: /],
    [file('dict.yaml', 'terms:\n  - term: 圆通快递\n'), /dict\.yaml: YAML is not supported; write the dictionary as JSON/],
    [path.join(tmp.dir, 'missing.json'), /^error ENOENT: no such file or directory/],
  ];
  for (const [bad, message] of cases) {
    const r = await dictionary('set', bad);
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
  assert.deepEqual(await withDatabase(dataDir, (db) => db.repos.corrections.listVersions()), versionsBefore);
  const badVersion = await dictionary('show', '--version', 'latest');
  assert.match(badVersion.stderr, /--version must be a version number/);
});
