import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oidcSettingsOf } from '../access/oidc/oidc-settings.js';
import { loadConfig } from './config.js';

const configError = (env: Record<string, string>): string => {
  try {
    loadConfig({ env });
  } catch (e) {
    assert.equal((e as { code?: string }).code, 'CONFIG_INVALID');
    return (e as Error).message;
  }
  assert.fail('expected CONFIG_INVALID');
};

const ON = {
  TINGJIAN_OIDC_ISSUER: 'https://sso.example.com/realms/qa',
  TINGJIAN_OIDC_CLIENT_ID: 'tingjian',
  TINGJIAN_OIDC_CLIENT_SECRET: 'kc-client-secret-8c2e',
  TINGJIAN_OIDC_REDIRECT_URL: 'https://qa.example.com/api/v1/auth/oidc/callback',
};

test('single sign-on is off by default and on with issuer, client id and redirect URL', () => {
  const off = loadConfig({ env: {} });
  assert.equal(oidcSettingsOf(off), null);
  assert.equal(off.oidcScopes, 'openid profile email');
  assert.equal(off.oidcUsernameClaim, 'preferred_username');
  assert.equal(off.oidcAutoCreate, false);

  const on = oidcSettingsOf(
    loadConfig({ env: { ...ON, TINGJIAN_OIDC_ROLE_CLAIM: 'realm_access.roles', TINGJIAN_OIDC_ROLE_MAP: '{"qa-manager":"qa_manager","qa":"inspector"}', TINGJIAN_OIDC_AUTO_CREATE: 'true' } }),
  )!;
  assert.equal(on.issuer.href, 'https://sso.example.com/realms/qa');
  assert.equal(on.clientSecret, 'kc-client-secret-8c2e');
  assert.equal(on.allowHttp, false);
  assert.deepEqual(on.claims, { usernameClaim: 'preferred_username', roleClaim: 'realm_access.roles', roleMap: { 'qa-manager': 'qa_manager', qa: 'inspector' }, autoCreate: true });
  // A config file gives the map as an object; an IdP on this machine may speak plain HTTP.
  const local = oidcSettingsOf(loadConfig({ env: {}, overrides: { oidcIssuer: 'http://127.0.0.1:8080', oidcClientId: 'c', oidcRedirectUrl: 'http://localhost:7300/api/v1/auth/oidc/callback', oidcRoleClaim: 'groups', oidcRoleMap: { admins: 'admin' } } }))!;
  assert.equal(local.allowHttp, true);
  assert.deepEqual(local.claims.roleMap, { admins: 'admin' });
});

test('single sign-on settings that do not fit together are CONFIG_INVALID, naming the variable', () => {
  assert.match(configError({ TINGJIAN_OIDC_CLIENT_ID: 'tingjian' }), /TINGJIAN_OIDC_ISSUER.*oidcClientId are set but the issuer is not/);
  const missing = configError({ TINGJIAN_OIDC_ISSUER: ON.TINGJIAN_OIDC_ISSUER });
  assert.match(missing, /TINGJIAN_OIDC_CLIENT_ID.*required/);
  assert.match(missing, /TINGJIAN_OIDC_REDIRECT_URL.*required/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_ISSUER: 'http://sso.example.com' }), /TINGJIAN_OIDC_ISSUER.*https/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_ISSUER: 'not a url' }), /TINGJIAN_OIDC_ISSUER/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_REDIRECT_URL: 'https://qa.example.com/callback' }), /TINGJIAN_OIDC_REDIRECT_URL.*must end with \/api\/v1\/auth\/oidc\/callback/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_SCOPES: 'profile email' }), /TINGJIAN_OIDC_SCOPES.*openid/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_ROLE_CLAIM: 'groups', TINGJIAN_OIDC_ROLE_MAP: '{"x": "boss"}' }), /TINGJIAN_OIDC_ROLE_MAP.*"x" → "boss": not a role/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_ROLE_CLAIM: 'groups', TINGJIAN_OIDC_ROLE_MAP: '["admin"]' }), /TINGJIAN_OIDC_ROLE_MAP.*JSON object/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_ROLE_MAP: '{"x": "admin"}' }), /TINGJIAN_OIDC_ROLE_CLAIM.*name the claim/);
  assert.match(configError({ ...ON, TINGJIAN_OIDC_AUTO_CREATE: 'true' }), /TINGJIAN_OIDC_AUTO_CREATE.*needs oidcRoleClaim and oidcRoleMap/);
});

test('the client secret is never quoted in a config error', () => {
  const message = configError({ ...ON, TINGJIAN_OIDC_SCOPES: 'profile', TINGJIAN_OIDC_CLIENT_SECRET: 'Zq9-very-secret' });
  assert.ok(!message.includes('Zq9-very-secret'), message);
});
