import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROLE_PERMISSIONS } from '../access/permissions.js';
import { pendingExport, type ExportRequest } from './export-request.js';
import { effectiveStatus, mayView, refuseCancel, refuseDecision, refuseDownload, refuseKind, visibleTo } from './export-rules.js';

const T = Date.UTC(2025, 0, 1);
const inspector = { userId: 'u-insp', permissions: ROLE_PERMISSIONS.inspector };
const manager = { userId: 'u-mgr', permissions: ROLE_PERMISSIONS.qa_manager };
const otherManager = { userId: 'u-mgr2', permissions: ROLE_PERMISSIONS.qa_manager };

const exp = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  ...pendingExport({ id: 'e1', kind: 'transcripts', callIds: ['c1'], filter: null, reason: 'complaint review', requestedBy: { userId: 'u-insp', username: 'insp' }, requestedAt: T }),
  ...over,
});
const approved = (over: Partial<ExportRequest> = {}) => exp({ status: 'approved', decidedBy: { userId: 'u-mgr', username: 'mgr' }, decidedAt: T, linkTokenHash: 'h', linkExpiresAt: T + 3_600_000, ...over });

describe('export rules', () => {
  test('four eyes: the requester never decides their own export, even holding exports:approve', () => {
    assert.match(refuseDecision(exp(), inspector)!.message, /exports:approve/);
    assert.match(refuseDecision(exp({ requestedBy: { userId: 'u-mgr', username: 'mgr' } }), manager)!.message, /yourself/);
    assert.equal(refuseDecision(exp(), manager), null);
    assert.equal(refuseDecision(approved(), otherManager)!.code, 'CONFLICT');
  });

  test('who sees what: requesters their own; approvers every pending one and those they decided', () => {
    assert.ok(mayView(exp(), inspector));
    assert.ok(!mayView(exp(), { userId: 'u-other', permissions: ROLE_PERMISSIONS.inspector }));
    assert.ok(mayView(exp(), otherManager), 'pending: any approver');
    assert.ok(mayView(approved(), manager), 'decided by them');
    assert.ok(!mayView(approved(), otherManager), 'decided by someone else');
    assert.deepEqual(visibleTo(inspector), { anyOf: { requestedBy: 'u-insp' } });
    assert.deepEqual(visibleTo(manager), { anyOf: { requestedBy: 'u-mgr', decidedBy: 'u-mgr', status: 'pending' } });
  });

  test('downloads: the requester, the right token, an approved export, before expiry', () => {
    const now = T + 1000;
    assert.equal(refuseDownload(approved(), inspector, true, now), null);
    assert.equal(refuseDownload(approved(), manager, true, now)!.code, 'FORBIDDEN', 'the approver is not the requester');
    assert.equal(refuseDownload(approved(), inspector, false, now)!.code, 'FORBIDDEN');
    assert.equal(refuseDownload(exp(), inspector, true, now)!.code, 'CONFLICT');
    assert.equal(refuseDownload(exp({ status: 'rejected', decisionNote: 'no' }), inspector, true, now)!.code, 'FORBIDDEN');
    assert.equal(refuseDownload(approved(), inspector, true, T + 3_600_000)!.code, 'GONE', 'expiry is exclusive');
    assert.equal(refuseDownload(approved({ status: 'cancelled' }), inspector, true, now)!.code, 'GONE');
    assert.equal(effectiveStatus(approved(), T + 3_600_000), 'expired');
  });

  test('cancel: the requester, while pending or the link works', () => {
    assert.equal(refuseCancel(exp(), inspector, T), null);
    assert.equal(refuseCancel(approved(), inspector, T), null);
    assert.equal(refuseCancel(approved(), inspector, T + 3_600_000)!.code, 'CONFLICT');
    assert.equal(refuseCancel(exp(), manager, T)!.code, 'FORBIDDEN');
  });

  test('audio exports need pii:view: the originals are not masked', () => {
    assert.deepEqual(refuseKind('audio', inspector)!.details, { permissions: ['pii:view'] });
    assert.equal(refuseKind('audio', manager), null);
    assert.equal(refuseKind('report', inspector), null);
  });
});
