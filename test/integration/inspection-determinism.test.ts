import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppContext } from '../../src/app/app-context.js';
import type { Inspection } from '../../src/domain/inspection.js';
import { judgeCall } from '../../src/inspect/judge/judge-call.js';
import { queueReinspection, runReinspection } from '../../src/inspect/reinspection/reinspection-runner.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { publishedRuleSets } from '../../src/rules/published-rule-sets.js';
import { installTemplates } from '../../src/rules/templates.js';
import { testApp } from '../support/factories.js';
import { POSTGRES_INSTALL, postgresAvailable, startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { needs } from '../support/tiers.js';

const SAMPLES = path.resolve(import.meta.dirname, '../../samples/calls');

/** The bundled sample calls as transcript inputs (their JSON sidecars), keyed by externalId. */
function sampleInputs(): Array<Record<string, unknown>> {
  return readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const { channelRoles: _roles, ...input } = JSON.parse(readFileSync(path.join(SAMPLES, f), 'utf8')) as Record<string, unknown>;
      return input;
    });
}

async function inspectSamples(app: AppContext): Promise<Map<string, Inspection>> {
  const installed = await installTemplates(app.db);
  assert.equal(installed.version, 1);
  const ids: string[] = [];
  for (const input of sampleInputs()) ids.push((await app.ingest.accept({ input })).call.id);
  const calls = await waitForCalls(app.db, ids, { timeoutMs: 60_000 });
  assert.deepEqual(calls.filter((c) => c.status !== 'done').map((c) => c.externalId), []);
  const out = new Map<string, Inspection>();
  for (const c of calls) {
    assert.equal(c.stages.inspect.status, 'done', `${c.externalId}: ${c.stages.inspect.note ?? ''}`);
    const insp = await app.db.repos.inspections.latest(c.id);
    assert.ok(insp, `${c.externalId} has an inspection`);
    out.set(c.externalId!, insp);
  }
  return out;
}

describe('inspection is deterministic: same calls and version → same result, twice, on SQLite and PostgreSQL', () => {
  let sqlite: AppContext;
  let pg: ThrowawayPostgres | null = null;
  let pgApp: AppContext | null = null;
  before(async () => {
    sqlite = await testApp({ workers: true });
    if (postgresAvailable()) {
      pg = await startThrowawayPostgres();
      pgApp = await testApp({ workers: true, config: { databaseUrl: pg.url } });
    }
  });
  after(async () => {
    await sqlite.close();
    await pgApp?.close();
    await pg?.stop();
  });

  it('judges every sample through the pipeline and stores the version; judging again in memory and re-inspecting give identical results', async () => {
    const first = await inspectSamples(sqlite);
    assert.equal(first.size, sampleInputs().length);
    for (const [id, insp] of first) {
      assert.equal(insp.ruleSetVersion, 1, id);
      assert.match(insp.ruleSetHash, /^[0-9a-f]{64}$/);
      assert.ok(insp.results.length > 10, `${id}: every template rule has a result`);
    }
    assert.ok([...first.values()].some((i) => i.results.some((r) => r.outcome === 'hit')), 'the samples with problems hit rules');
    assert.ok([...first.values()].some((i) => i.score !== null), 'scored');

    // Again, in memory, from what is stored.
    const rules = await publishedRuleSets(sqlite.db).current();
    for (const [ext, stored] of first) {
      const call = (await sqlite.db.repos.calls.findByExternalId(ext))!;
      const again = judgeCall(rules!, { call, transcript: await sqlite.db.repos.transcripts.get(call.id), signals: await sqlite.db.repos.artifacts.getSignals(call.id) });
      assert.deepEqual(again, stored, `${ext}: judged twice, identical`);
    }

    // A re-inspection with the same version replaces each result with an identical one.
    const job = await queueReinspection(sqlite.db, 1, {});
    const claimed = (await sqlite.db.repos.reinspections.claim('determinism-test', Date.now(), 60_000))!;
    assert.equal(claimed.id, job.id);
    assert.equal(await runReinspection(sqlite.db, claimed, 'determinism-test'), 'done');
    for (const [ext, stored] of first) {
      const call = (await sqlite.db.repos.calls.findByExternalId(ext))!;
      assert.deepEqual(await sqlite.db.repos.inspections.get(call.id, 1), stored, `${ext}: re-inspected, identical`);
    }
  });

  it('PostgreSQL gives byte-identical inspections', async (t) => {
    if (!needs(t, 'PostgreSQL', pgApp !== null, POSTGRES_INSTALL)) return;
    const onSqlite = new Map<string, string>();
    for (const ext of sampleInputs().map((i) => i.externalId as string)) {
      const call = (await sqlite.db.repos.calls.findByExternalId(ext))!;
      onSqlite.set(ext, JSON.stringify(await sqlite.db.repos.inspections.latest(call.id)));
    }
    const onPg = await inspectSamples(pgApp!);
    for (const [ext, insp] of onPg) assert.equal(JSON.stringify(insp), onSqlite.get(ext), `${ext}: same JSON on both databases`);
  });
});
