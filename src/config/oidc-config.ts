import { z } from 'zod';
import { isRole, ROLES, type Role } from '../access/permissions.js';

/** The path the IdP sends the browser back to; oidcRedirectUrl must end with it (a proxy may add a prefix). */
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
export const isLoopbackUrl = (u: URL): boolean => LOOPBACK_HOSTS.has(u.hostname);

/**
 * oidcRoleMap: claim value → Tingjian role, as a JSON object (the environment variable holds its
 * text). Order matters: a user whose claim holds several mapped values gets the first entry's role.
 */
export const oidcRoleMapSchema = z.union([z.string(), z.record(z.string(), z.unknown())]).transform((v, ctx): Record<string, Role> => {
  let map: unknown = v;
  if (typeof v === 'string') {
    try {
      map = JSON.parse(v);
    } catch {
      map = null;
    }
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object of claim value → role, like {"/qa-managers":"qa_manager","agents":"agent"}' });
    return z.NEVER;
  }
  const bad = Object.entries(map).filter(([, role]) => typeof role !== 'string' || !isRole(role));
  if (bad.length) {
    ctx.addIssue({ code: 'custom', message: `${bad.map(([k, r]) => `"${k}" → ${JSON.stringify(r)}`).join(', ')}: not a role; roles are ${ROLES.join(', ')}` });
    return z.NEVER;
  }
  return map as Record<string, Role>;
});

interface OidcInput {
  oidcIssuer?: string | undefined;
  oidcClientId?: string | undefined;
  oidcClientSecret?: string | undefined;
  oidcRedirectUrl?: string | undefined;
  oidcScopes: string;
  oidcRoleClaim?: string | undefined;
  oidcRoleMap?: Record<string, Role> | undefined;
  oidcAutoCreate: boolean;
}

/**
 * The single sign-on settings that only make sense together, checked across fields (the field
 * schemas check each one alone). Reported on the setting to fix, so the message names its
 * environment variable.
 */
export function checkOidcSettings(c: OidcInput, ctx: z.core.$RefinementCtx): void {
  // Runs even when a field failed its own check (that one is reported already): parse nothing blindly.
  const url = (s: string | undefined) => (s && URL.canParse(s) ? new URL(s) : null);
  const problem = (key: keyof OidcInput, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
  if (!c.oidcIssuer) {
    const stray = (['oidcClientId', 'oidcClientSecret', 'oidcRedirectUrl', 'oidcRoleClaim', 'oidcRoleMap'] as const).filter((k) => c[k] !== undefined);
    if (stray.length) problem('oidcIssuer', `single sign-on settings ${stray.join(', ')} are set but the issuer is not: set it (e.g. https://sso.example.com/realms/qa) or remove them`);
    return;
  }
  const issuer = url(c.oidcIssuer);
  // openid-client refuses plain HTTP; allowed only to an IdP on this machine (tests, a local bridge).
  if (issuer && issuer.protocol !== 'https:' && !isLoopbackUrl(issuer)) problem('oidcIssuer', 'must be an https:// URL (plain http only for an IdP on 127.0.0.1/localhost): tokens and the client secret travel over it');
  if (!c.oidcClientId) problem('oidcClientId', 'required with oidcIssuer: the client id registered at the IdP');
  if (!c.oidcRedirectUrl) problem('oidcRedirectUrl', `required with oidcIssuer: the public URL of ${OIDC_CALLBACK_PATH}, as registered at the IdP`);
  else if (!(url(c.oidcRedirectUrl)?.pathname.endsWith(OIDC_CALLBACK_PATH) ?? true)) problem('oidcRedirectUrl', `must end with ${OIDC_CALLBACK_PATH} (the callback route), e.g. https://qa.example.com${OIDC_CALLBACK_PATH}`);
  if (typeof c.oidcScopes === 'string' && !c.oidcScopes.split(/\s+/).includes('openid')) problem('oidcScopes', 'must include openid');
  if (c.oidcRoleMap && Object.keys(c.oidcRoleMap).length && !c.oidcRoleClaim) problem('oidcRoleClaim', 'oidcRoleMap is set: name the claim that holds the role values (e.g. groups)');
  if (c.oidcAutoCreate && (!c.oidcRoleClaim || !c.oidcRoleMap || !Object.keys(c.oidcRoleMap).length)) {
    problem('oidcAutoCreate', 'creating accounts at first sign-in needs oidcRoleClaim and oidcRoleMap: a new account takes its role from them');
  }
}
