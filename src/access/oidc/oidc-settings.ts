import type { Config } from '../../config/config.js';
import { isLoopbackUrl } from '../../config/oidc-config.js';
import type { ClaimMapping } from './account-for-claims.js';

/** Single sign-on as the server uses it: the validated oidc* settings, or null when SSO is off. */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  /** null: a public client (PKCE only, no client authentication). */
  clientSecret: string | null;
  redirectUrl: URL;
  scopes: string;
  buttonLabel: string;
  claims: ClaimMapping;
  /** Plain HTTP to the IdP: only ever true for a loopback issuer (the config refuses others). */
  allowHttp: boolean;
}

export function oidcSettingsOf(config: Config): OidcSettings | null {
  // loadConfig checks that issuer, client id and redirect URL come together.
  if (!config.oidcIssuer || !config.oidcClientId || !config.oidcRedirectUrl) return null;
  const issuer = new URL(config.oidcIssuer);
  return {
    issuer,
    clientId: config.oidcClientId,
    clientSecret: config.oidcClientSecret ?? null,
    redirectUrl: new URL(config.oidcRedirectUrl),
    scopes: config.oidcScopes,
    buttonLabel: config.oidcButtonLabel,
    claims: {
      usernameClaim: config.oidcUsernameClaim,
      roleClaim: config.oidcRoleClaim ?? null,
      roleMap: config.oidcRoleMap ?? {},
      autoCreate: config.oidcAutoCreate,
    },
    allowHttp: issuer.protocol === 'http:' && isLoopbackUrl(issuer),
  };
}
