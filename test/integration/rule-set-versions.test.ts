import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import { isTingjianError } from '../../src/domain/errors.js';
import { queueReinspection, runReinspection } from '../../src/inspect/reinspection/reinspection-runner.js';
import { RuleSetService } from '../../src/rules/rule-set-service.js';
import { templateFiles } from '../../src/rules/templates.js';
import { testApp, transcriptInput } from '../support/factories.js';

let app: AppContext;
before(async () => {
  app = await testApp();
});
after(() => app.close());

test('one module published alone is merged over the published version, its cross-module references resolved there', async () => {
  const service = new RuleSetService(app.db);
  const v1 = await service.create(await templateFiles(), { replaceAll: true, publish: true });
  const general = (await templateFiles()).find((f) => f.name.endsWith('general.yaml'))!;
  // general.yaml's scorecards cite finance.* and telecom.* rules it does not bring.
  const edited = { ...general, text: general.text!.replace('name: 开场问候', 'name: 开场问候语') };
  const v2 = await service.create([edited], { publish: true, note: 'rename' });
  assert.equal(v2.version, v1.version + 1);
  const doc = (await service.get(v2.version)).document;
  assert.deepEqual(doc.modules.map((m) => m.module).sort(), ['ecommerce', 'finance', 'general', 'telecom']);
  assert.equal(doc.modules.find((m) => m.module === 'general')!.rules.find((r) => r.id === 'greeting')!.name, '开场问候语');
  // A reference the merged set cannot resolve is reported in the incoming file, with its line.
  const broken = { ...general, text: general.text!.replace('rules: [finance.guaranteed-returns]', 'rules: [finance.no-such-rule]') };
  try {
    await service.create([broken], { publish: true });
    assert.fail('expected INVALID_RULES');
  } catch (e) {
    assert.ok(isTingjianError(e) && e.code === 'INVALID_RULES', String(e));
    const errors = (e.details as { errors: Array<{ file: string; line: number | null; message: string }> }).errors;
    assert.ok(errors.every((x) => x.file === general.name && x.line !== null && /finance\.no-such-rule/.test(x.message)), JSON.stringify(errors));
  }
});

test('a failed re-inspection is queued again and resumes after its last stored batch', async () => {
  const version = (await app.db.repos.ruleSets.latestPublishedVersion())!;
  for (let i = 0; i < 3; i++) await app.ingest.accept({ input: transcriptInput() });
  const job = await queueReinspection(app.db, version, {});
  const claimed = (await app.db.repos.reinspections.claim('w1', Date.now(), 60_000))!;
  assert.equal(await app.db.repos.reinspections.finish(claimed.id, 'w1', 'failed', 'disk full', Date.now()), true);
  assert.equal(await app.db.repos.reinspections.requeue(job.id, Date.now()), true);
  assert.equal((await app.db.repos.reinspections.get(job.id))!.status, 'queued');
  assert.equal(await app.db.repos.reinspections.requeue(job.id, Date.now()), false, 'only failed or cancelled jobs');
  const again = (await app.db.repos.reinspections.claim('w2', Date.now(), 60_000))!;
  assert.equal(again.id, job.id);
  assert.equal(await runReinspection(app.db, again, 'w2'), 'done');
  const done = (await app.db.repos.reinspections.get(job.id))!;
  assert.equal(done.status, 'done');
  assert.equal(done.done, done.total);
  assert.equal(done.error, null);
});
