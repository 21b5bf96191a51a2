import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT, runCli, said, withDatabase } from '../support/cli.js';
import { tempDir, transcriptInput } from '../support/factories.js';

// The rule commands as a QA manager uses them, on a real data folder (SQLite): init publishes the
// templates, `rules validate` checks files on their own and locates a mistake, `rules templates`
// copies them out to edit, `rules test` dry-runs the edit on stored calls, `rules publish` stores
// a version, `rules versions` lists it, and `reinspect --version` re-judges the stored calls;
// `topics list|discover` read the taxonomy and cluster the stored calls.

const work = tempDir('tingjian-cli-rules-');
after(() => work.cleanup());
const dataDir = path.join(work.dir, 'data');
const cli = (args: string[]) => runCli(args, { dataDir, cwd: work.dir, timeoutMs: 120_000 });
const seg = (speaker: 'agent' | 'customer', i: number, text: string) => ({ speaker, startMs: i * 4000, endMs: i * 4000 + 3000, text });

describe('tingjian rules and reinspect', () => {
  test('init publishes the templates as version 1', async () => {
    const r = await cli(['init']);
    assert.equal(r.code, 0, said(r));
    const versions = await cli(['rules', 'versions']);
    assert.equal(versions.code, 0, said(versions));
    assert.match(versions.stdout, /^\s*1\s+published/m, said(versions));
  });

  test('validate: a template alone is valid and its references to other modules are noted; a mistake is located', async () => {
    const ok = await cli(['rules', 'validate', path.join(REPO_ROOT, 'templates/rules/general.yaml')]);
    assert.equal(ok.code, 0, said(ok));
    assert.match(ok.stdout, /^valid/);
    assert.match(ok.stdout, /note: general\/standard cites ecommerce\.order-number-asked: module ecommerce is not among these files/, said(ok));
    const all = await cli(['rules', 'validate', path.join(REPO_ROOT, 'templates/rules')]);
    assert.equal(all.code, 0, said(all));
    assert.doesNotMatch(all.stdout, /note:/, 'the whole set resolves every reference');

    const bad = path.join(work.dir, 'bad.yaml');
    writeFileSync(bad, 'module: mine\nname: 我的\nrules:\n  - id: a\n    name: A\n    when: {keywords: [退货], atLeast: 3}\n');
    const r = await cli(['rules', 'validate', bad]);
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, /INVALID_RULES/);
    assert.match(r.stderr, /bad\.yaml:6:\d+ rules\[0\]\.when\.atLeast: unknown field/, said(r));
  });

  test('templates → edit → test on stored calls → publish → versions → reinspect', async () => {
    const chats = [
      [seg('agent', 0, '您好，请问有什么可以帮您？'), seg('customer', 1, '我要退货。'), seg('agent', 2, '亲，这边帮您登记退货。')],
      [seg('agent', 0, '您好，很高兴为您服务。'), seg('customer', 1, '发票怎么开？'), seg('agent', 2, '您在订单页申请即可。')],
    ];
    chats.forEach((segments, i) => writeFileSync(path.join(work.dir, `chat${i}.json`), JSON.stringify(transcriptInput({ segments }))));
    const ingest = await cli(['ingest', path.join(work.dir, 'chat0.json'), path.join(work.dir, 'chat1.json'), '--wait']);
    assert.equal(ingest.code, 0, said(ingest));

    const edit = path.join(work.dir, 'edit');
    const copied = await cli(['rules', 'templates', '--out', edit]);
    assert.equal(copied.code, 0, said(copied));
    const file = path.join(edit, 'ecommerce.yaml');
    const yaml = readFileSync(file, 'utf8');
    const rule = ['  - id: qin-address', '    name: 称呼客户为亲', '    when: {keywords: [亲], speaker: agent}', ''].join('\n');
    writeFileSync(file, yaml.replace(/^rules:\n/m, `rules:\n${rule}`));

    const dry = await cli(['rules', 'test', file, '--json']);
    assert.equal(dry.code, 0, said(dry));
    const report = JSON.parse(dry.stdout) as { calls: number; publishedVersion: number; rules: Array<{ ruleId: string; hitCalls: number; published: unknown; examples: Array<{ evidence: Array<{ text: string; spans: Array<{ start: number; end: number }> }> }> }> };
    assert.equal(report.calls, 2);
    assert.equal(report.publishedVersion, 1);
    const qin = report.rules.find((x) => x.ruleId === 'ecommerce.qin-address');
    assert.ok(qin, said(dry));
    assert.equal(qin.hitCalls, 1);
    assert.equal(qin.published, null, 'a new rule has nothing to compare with');
    const ev = qin.examples[0]!.evidence[0]!;
    assert.equal(ev.text.slice(ev.spans[0]!.start, ev.spans[0]!.end), '亲');
    const table = await cli(['rules', 'test', file]);
    assert.equal(table.code, 0, said(table));
    assert.match(table.stdout, /ecommerce\.qin-address\s+称呼客户为亲\s+1\s+50\.0%/, said(table));
    await withDatabase(dataDir, async (db) => assert.equal((await db.repos.ruleSets.listVersions()).length, 1, 'a dry run stores nothing'));

    const pub = await cli(['rules', 'publish', file, '--note', '加称呼规则']);
    assert.equal(pub.code, 0, said(pub));
    assert.match(pub.stdout, /published rule set version 2/);
    const versions = await cli(['rules', 'versions']);
    assert.match(versions.stdout, /^\s*2\s+published.*加称呼规则/m, said(versions));

    const re = await cli(['reinspect', '--version', '2']);
    assert.equal(re.code, 0, said(re));
    assert.match(re.stdout, /re-inspection job \d+ done: 2 of 2 calls judged with version 2/, said(re));
    await withDatabase(dataDir, async (db) => {
      const byRule = await db.repos.inspections.countHitsByRule(2);
      assert.deepEqual(byRule.find((x) => x.ruleId === 'ecommerce.qin-address'), { ruleId: 'ecommerce.qin-address', calls: 1, hits: 1 });
      const v1 = await db.repos.inspections.countHitsByRule(1);
      assert.equal(v1.find((x) => x.ruleId === 'ecommerce.qin-address'), undefined, 'version 1 results stay as they were');
    });
  });

  test('topics: the taxonomy, and discovery over the stored calls', async () => {
    const list = await cli(['topics', 'list']);
    assert.equal(list.code, 0, said(list));
    assert.match(list.stdout, /logistics-delay\s+物流延迟/);
    const found = await cli(['topics', 'discover', '--json']);
    assert.equal(found.code, 0, said(found));
    const report = JSON.parse(found.stdout) as { calls: number; callsWithCustomerSpeech: number; topics: unknown[] };
    assert.equal(report.calls, 2);
    assert.equal(report.callsWithCustomerSpeech, 2);
    const table = await cli(['topics', 'discover', '--period', 'week']);
    assert.equal(table.code, 0, said(table));
    assert.match(table.stdout, /2 calls read, 2 with customer speech/);
    const bad = await cli(['topics', 'discover', '--period', 'month']);
    assert.equal(bad.code, 2, said(bad));
    assert.match(bad.stderr, /--period must be day or week/);
  });

  test('a broken user dictionary or taxonomy stops serve at start, naming the setting or the line', async () => {
    const missing = await runCli(['serve', '--port', '0'], { dataDir, cwd: work.dir, env: { TINGJIAN_USER_DICTIONARY: path.join(work.dir, 'no-such-words.txt') } });
    assert.equal(missing.code, 2, said(missing));
    assert.match(missing.stderr, /CONFIG_INVALID: TINGJIAN_USER_DICTIONARY: cannot read .*no-such-words\.txt \(ENOENT\)/);
    const taxonomy = path.join(work.dir, 'topics.yaml');
    writeFileSync(taxonomy, 'version: 1\ntopics:\n  - id: x\n    name: X\n    keyword: [退货]\n');
    const broken = await runCli(['serve', '--port', '0'], { dataDir, cwd: work.dir, env: { TINGJIAN_TOPIC_TAXONOMY: taxonomy } });
    assert.equal(broken.code, 2, said(broken));
    assert.match(broken.stderr, /topics\.yaml:5:\d+ topics\[0\]\.keyword/);
  });
});
