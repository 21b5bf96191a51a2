import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditKey, canonicalJson, chainEntry, ChainVerifier, entryHash, REKEY_ACTION, storableText, verifyChain, type AuditEntry, type ChainLink, type NewAuditEntry } from './audit-chain.js';
import { exportLines } from './audit-export.js';

const GENESIS: ChainLink = { seq: 0, hash: '0'.repeat(64) };
const KEY = auditKey(Buffer.alloc(32, 7));

const draft = (i: number, over: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  at: 1_700_000_000_000 + i,
  actorUserId: 'u1',
  actorUsername: 'qa.li',
  actorRole: 'qa_manager',
  actorVia: 'session',
  action: 'call.view',
  targetType: 'call',
  targetId: `call-${i}`,
  outcome: 'allowed',
  ip: '10.0.0.1',
  userAgent: 'Mozilla/5.0',
  details: canonicalJson({ status: 200 }),
  ...over,
});

function chainOf(n: number, key = KEY, anchor = GENESIS): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head = anchor;
  for (let i = 1; i <= n; i++) {
    const e = chainEntry(key, head, draft(i));
    out.push(e);
    head = e;
  }
  return out;
}

const kinds = (entries: AuditEntry[], anchor = GENESIS, key = KEY) => {
  const v = new ChainVerifier(anchor, key);
  for (const e of entries) v.push(e);
  return v.finish().problems.map((p) => [p.kind, p.seq, ...(p.toSeq !== undefined ? [p.toSeq] : [])]);
};

describe('audit chain', () => {
  it('hashes every field: changing any one changes the hash', () => {
    const e = chainOf(1)[0]!;
    for (const [field, value] of Object.entries({ at: 1, actorUserId: null, actorUsername: 'x', actorRole: null, actorVia: 'token', action: 'call.audio', targetType: null, targetId: null, outcome: 'denied', ip: null, userAgent: null, details: '{}', seq: 2 })) {
      assert.notEqual(entryHash(KEY, e.prevHash, { ...e, [field]: value }), e.hash, field);
    }
    assert.notEqual(entryHash(KEY, 'f'.repeat(64), e), e.hash, 'prevHash');
    assert.equal(entryHash(KEY, e.prevHash, { ...e }), e.hash);
  });

  it('canonical JSON sorts keys at every level', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    assert.equal(canonicalJson(undefined), '{}');
  });

  it('storable text: lone surrogates and U+0000 become U+FFFD, pairs stay; in canonical JSON keys and values too', () => {
    assert.deepEqual(
      ['\ud800x', 'x\udc00', '\udc00\ud800', 'a\ud83d\ude00b', 'ad\u0000min', '中文'].map(storableText),
      ['\ufffdx', 'x\ufffd', '\ufffd\ufffd', 'a\ud83d\ude00b', 'ad\ufffdmin', '中文'],
    );
    assert.equal(canonicalJson({ '\ud800k': ['v\udfff', 'n\u0000'] }), '{"\ufffdk":["v\ufffd","n\ufffd"]}');
  });

  it('the key: derived from the secret, the public default without one', () => {
    assert.equal(auditKey(null).toString(), 'tingjian-audit-v1');
    assert.equal(auditKey(Buffer.alloc(32, 1)).length, 32);
    assert.notDeepEqual(auditKey(Buffer.alloc(32, 1)), Buffer.alloc(32, 1));
  });

  it('an untouched chain is intact; so is an empty one; head is the last entry', async () => {
    const entries = chainOf(5);
    const r = await verifyChain([entries.slice(0, 2), entries.slice(2)], GENESIS, KEY);
    assert.equal(r.intact, true);
    assert.equal(r.entries, 5);
    assert.deepEqual(r.head, { seq: 5, hash: entries[4]!.hash });
    const empty = await verifyChain([], GENESIS, KEY);
    assert.deepEqual([empty.intact, empty.entries, empty.head], [true, 0, GENESIS]);
  });

  it('reports every problem, each with its kind and seq, and keeps going', () => {
    const e = chainOf(12);
    const tampered = [...e];
    tampered[1] = { ...e[1]!, actorUsername: 'someone.else' }; // seq 2 edited
    tampered.splice(4, 1); // seq 5 removed (index shifts by one below)
    // seq 8 edited and re-hashed with the public key: changed, and seq 9's broken link is not news
    const i8 = tampered.findIndex((x) => x.seq === 8);
    const edited = { ...e[7]!, targetId: 'other' };
    tampered[i8] = { ...edited, hash: entryHash(auditKey(null), edited.prevHash, edited) };
    // a forged entry after the end, chained to seq 3
    tampered.push(chainEntry(auditKey(null), { seq: 12, hash: e[2]!.hash }, draft(13)));
    assert.deepEqual(kinds(tampered), [
      ['changed', 2],
      ['removed', 5, 5],
      ['changed', 8],
      ['inserted', 13],
    ]);
  });

  it('a repeated seq is inserted; a cut head is truncated-head; an anchor no purge explains is reported', () => {
    const e = chainOf(4);
    assert.deepEqual(kinds([e[0]!, e[1]!, e[1]!, e[2]!, e[3]!]), [['inserted', 2]]);
    assert.deepEqual(kinds(e.slice(2)), [['truncated-head', 1, 2]]);
    assert.deepEqual(kinds(e.slice(2), { seq: 2, hash: e[1]!.hash }), [['anchor-unexplained', 2]]);
  });

  it('an anchor explained by an intact audit.purge entry is fine', () => {
    const e = chainOf(3);
    const anchor = { seq: 2, hash: e[1]!.hash };
    const purge = chainEntry(KEY, { seq: 3, hash: e[2]!.hash }, draft(4, { action: 'audit.purge', details: canonicalJson({ deleted: 2, throughSeq: 2, anchorHash: anchor.hash, before: 0 }) }));
    assert.deepEqual(kinds([e[2]!, purge], anchor), []);
    // The same purge entry forged without the key explains nothing.
    const forged = { ...purge, hash: entryHash(auditKey(null), purge.prevHash, purge) };
    assert.deepEqual(kinds([e[2]!, forged], anchor), [
      ['changed', 4],
      ['anchor-unexplained', 2],
    ]);
  });

  it('a chain made with another key does not verify', () => {
    const r = new ChainVerifier(GENESIS, KEY);
    for (const x of chainOf(3, auditKey(Buffer.alloc(32, 8)))) r.push(x);
    assert.deepEqual(
      r.finish().problems.map((p) => p.kind),
      ['changed', 'changed', 'changed'],
    );
  });

  /** n entries hashed with the public key from `anchor`, then the rest hashed with KEY, the first of those made by `first`. */
  function keyedChain(nPublic: number, nKeyed: number, first: Partial<NewAuditEntry> = { action: REKEY_ACTION }): AuditEntry[] {
    const out = chainOf(nPublic, auditKey(null));
    let head: ChainLink = out.at(-1) ?? GENESIS;
    for (let i = 1; i <= nKeyed; i++) {
      const e = chainEntry(KEY, head, draft(nPublic + i, i === 1 ? first : {}));
      out.push(e);
      head = e;
    }
    return out;
  }

  it('master key configured later: a run of public-key entries from the start verifies when an audit.rekey entry hashed with the key follows it', () => {
    assert.deepEqual(kinds(keyedChain(3, 3)), []);
    // Purged up to the middle of the public run: what is left of it still verifies.
    const e = keyedChain(3, 2);
    assert.deepEqual(kinds(e.slice(2), { seq: 2, hash: e[1]!.hash }).filter(([k]) => k !== 'anchor-unexplained'), []);
    // A chain on the public key alone verifies with the public key as before.
    assert.deepEqual(kinds(chainOf(3, auditKey(null)), GENESIS, auditKey(null)), []);
  });

  it('master key configured later: what someone without the key can do with the public key is reported', () => {
    const e = keyedChain(3, 3);
    // An audit-key entry re-hashed with the public key, after the rekey: changed.
    const edited = { ...e[4]!, outcome: 'denied' };
    const rehashed = [...e.slice(0, 4), { ...edited, hash: entryHash(auditKey(null), edited.prevHash, edited) }, e[5]!];
    assert.deepEqual(kinds(rehashed), [['changed', 5]]);
    // A public entry rewritten before the rekey: the link into the rekey entry breaks, and it cannot be re-hashed.
    const early = { ...e[1]!, actorUsername: 'mallory' };
    const rewritten = chainOf(3, auditKey(null)).map((x, i) => (i === 1 ? { ...early, hash: entryHash(auditKey(null), early.prevHash, early) } : x));
    const relinked = { ...rewritten[2]!, prevHash: rewritten[1]!.hash };
    relinked.hash = entryHash(auditKey(null), relinked.prevHash, relinked);
    assert.deepEqual(kinds([rewritten[0]!, rewritten[1]!, relinked, ...e.slice(3)]), [['inserted', 4]]);
    // Public entries after a gap: the missing ones could have been the rekey.
    assert.deepEqual(kinds([...e.slice(0, 1), ...e.slice(2)]), [
      ['removed', 2, 2],
      ['changed', 3],
    ]);
    // The first audit-key entry after public ones is not audit.rekey; a chain wholly on the public key is unsealed.
    assert.deepEqual(kinds(keyedChain(3, 2, {})), [['rekey-missing', 4]]);
    assert.deepEqual(kinds(chainOf(3, auditKey(null))), [['rekey-missing', 3]]);
  });

  it('caps the listed problems but counts them all', () => {
    const v = new ChainVerifier(GENESIS, KEY, 2);
    for (const x of chainOf(5, auditKey(Buffer.alloc(32, 8)))) v.push(x);
    const r = v.finish();
    assert.deepEqual([r.problems.length, r.problemCount, r.intact], [2, 5, false]);
  });

  it('a JSON Lines export verifies from its lines alone', async () => {
    const entries = chainOf(3);
    const parsed = exportLines('jsonl', entries)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry & { time: string });
    assert.equal(parsed[0]!.time, new Date(entries[0]!.at).toISOString());
    assert.equal((await verifyChain([parsed], GENESIS, KEY)).intact, true);
  });

  it('CSV: quoted cells, formulas defused, nulls empty', () => {
    const e = chainEntry(KEY, GENESIS, draft(1, { actorUsername: '=HYPERLINK("x")', userAgent: null, details: canonicalJson({ q: 'a,b' }) }));
    const [row] = exportLines('csv', [e]).split('\r\n');
    assert.match(row!, /^1,[^,]+,1700000000001,u1,"'=HYPERLINK\(""x""\)",qa_manager,session,call\.view,call,call-1,allowed,10\.0\.0\.1,,"\{""q"":""a,b""\}",0{64},[0-9a-f]{64}$/);
  });
});
