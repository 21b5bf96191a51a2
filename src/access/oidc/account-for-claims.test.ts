import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Account } from '../account.js';
import { accountForClaims, claimValue, mappedRole, type ClaimMapping } from './account-for-claims.js';

const account = (over: Partial<Account> = {}): Account => ({
  id: 'u1',
  username: 'zhang.san',
  displayName: null,
  passwordHash: null,
  role: 'inspector',
  agentId: null,
  teamIds: [],
  businessLines: [],
  oidcSubject: null,
  disabled: false,
  failedLogins: 0,
  lockedUntil: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const mapping = (over: Partial<ClaimMapping> = {}): ClaimMapping => ({
  usernameClaim: 'preferred_username',
  roleClaim: 'groups',
  roleMap: { '/qa/managers': 'qa_manager', '/qa/inspectors': 'inspector', agents: 'agent' },
  autoCreate: false,
  ...over,
});

const none = { bySubject: null, byUsername: null };

describe('accountForClaims', () => {
  test('the account linked to the subject signs in, whatever the username claim says now', () => {
    const a = account({ oidcSubject: 'sub-1' });
    const d = accountForClaims({ sub: 'sub-1', preferred_username: 'renamed' }, mapping(), { bySubject: a, byUsername: null });
    assert.deepEqual(d, { kind: 'sign-in', account: a, linkSubject: false });
  });

  test('an account matched by user name signs in and gets the subject linked', () => {
    const a = account();
    const d = accountForClaims({ sub: 'sub-1', preferred_username: ' zhang.san ' }, mapping(), { bySubject: null, byUsername: a });
    assert.deepEqual(d, { kind: 'sign-in', account: a, linkSubject: true });
  });

  test('a namesake with another subject cannot take over an account already linked', () => {
    const a = account({ oidcSubject: 'sub-original' });
    const d = accountForClaims({ sub: 'sub-other', preferred_username: 'zhang.san' }, mapping(), { bySubject: null, byUsername: a });
    assert.equal(d.kind, 'refuse');
    assert.equal(d.kind === 'refuse' && d.reason, 'subject-mismatch');
  });

  test('disabled accounts are refused, found by subject or by name', () => {
    const a = account({ disabled: true, oidcSubject: 'sub-1' });
    assert.deepEqual(accountForClaims({ sub: 'sub-1' }, mapping(), { bySubject: a, byUsername: null }), { kind: 'refuse', reason: 'disabled', account: a, username: 'zhang.san' });
    const b = account({ disabled: true });
    const d = accountForClaims({ sub: 'sub-2', preferred_username: 'zhang.san' }, mapping({ autoCreate: true }), { bySubject: null, byUsername: b });
    assert.equal(d.kind === 'refuse' && d.reason, 'disabled');
  });

  test('unknown users are refused while auto-create is off', () => {
    const d = accountForClaims({ sub: 'sub-9', preferred_username: 'li.si', groups: ['/qa/managers'] }, mapping(), none);
    assert.deepEqual(d, { kind: 'refuse', reason: 'unknown-user', account: null, username: 'li.si' });
  });

  test('auto-create makes an account with the first mapped role the user holds, and the name claim as display name', () => {
    const d = accountForClaims({ sub: 'sub-9', preferred_username: 'li.si', name: '李四', groups: ['agents', '/qa/inspectors'] }, mapping({ autoCreate: true }), none);
    assert.deepEqual(d, { kind: 'create', username: 'li.si', role: 'inspector', displayName: '李四' });
  });

  test('auto-create refuses a user none of whose role values maps', () => {
    for (const groups of [['/sales'], 'sales', undefined, 42]) {
      const d = accountForClaims({ sub: 'sub-9', preferred_username: 'li.si', groups }, mapping({ autoCreate: true }), none);
      assert.equal(d.kind === 'refuse' && d.reason, 'no-role', JSON.stringify(groups));
    }
  });

  test('without a username claim (and no linked subject) there is nobody to match', () => {
    for (const claims of [{ sub: 's' }, { sub: 's', preferred_username: '  ' }, { sub: 's', preferred_username: 7 }]) {
      const d = accountForClaims(claims, mapping({ autoCreate: true }), none);
      assert.equal(d.kind === 'refuse' && d.reason, 'no-username');
    }
  });

  test('another username claim and a single-string role claim', () => {
    const d = accountForClaims({ sub: 's', email: 'wang@example.com', tingjian_roles: 'agents' }, mapping({ usernameClaim: 'email', roleClaim: 'tingjian_roles', autoCreate: true }), none);
    assert.deepEqual(d, { kind: 'create', username: 'wang@example.com', role: 'agent', displayName: null });
  });
});

test('claims by dotted path (Keycloak realm_access.roles); a literal name wins', () => {
  const claims = { sub: 's', realm_access: { roles: ['qa-manager'] }, 'a.b': 1, a: { b: 2 } };
  assert.deepEqual(claimValue(claims, 'realm_access.roles'), ['qa-manager']);
  assert.equal(claimValue(claims, 'a.b'), 1);
  assert.equal(claimValue(claims, 'realm_access.roles.x'), undefined);
  assert.equal(mappedRole(claims, { roleClaim: 'realm_access.roles', roleMap: { 'qa-manager': 'qa_manager' } }), 'qa_manager');
  assert.equal(mappedRole(claims, { roleClaim: null, roleMap: { 'qa-manager': 'qa_manager' } }), null);
});
