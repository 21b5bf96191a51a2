import * as oidc from 'openid-client';
import { TingjianError } from '../../domain/errors.js';
import type { OidcClaims } from './account-for-claims.js';
import { claimValue } from './account-for-claims.js';
import { LOGIN_STATE_TTL_MS, type LoginState } from './login-state.js';
import type { OidcSettings } from './oidc-settings.js';

/** Why the IdP's answer was not accepted (the IdP itself was reached). */
export type CallbackProblem =
  /** The IdP redirected back with error=… (the user cancelled, the client is not allowed …). */
  | 'idp-error'
  /** The response failed a check: state, issuer, ID token signature, nonce, audience, expiry … */
  | 'invalid-response'
  /** The token endpoint refused the code (used already, expired, wrong PKCE verifier or client secret). */
  | 'token-refused';

export type CallbackResult = { ok: true; claims: OidcClaims } | { ok: false; problem: CallbackProblem; details: Record<string, unknown> };

/** Seconds for each request to the IdP. */
const IDP_TIMEOUT_S = 10;

/**
 * The openid-client calls, and nothing else: discovery (lazily, once, retried after a failure),
 * the authorization URL with PKCE (S256), state and nonce, and the callback's checks and code
 * exchange. Everything openid-client validates (state, iss, ID token signature and claims,
 * nonce) is left to it.
 */
export class OidcClient {
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly settings: OidcSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** The IdP's metadata and keys, fetched on first use: the server starts while the IdP is down. */
  private configuration(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret, allowHttp } = this.settings;
    this.discovered ??= oidc
      .discovery(issuer, clientId, clientSecret ?? undefined, undefined, { timeout: IDP_TIMEOUT_S, execute: allowHttp ? [oidc.allowInsecureRequests] : [] })
      .catch((e: unknown) => {
        this.discovered = null;
        throw unreachable(`cannot read the OpenID configuration of ${issuer.href}`, e);
      });
    return this.discovered;
  }

  /** Where to send the browser, and what its callback must match. */
  async start(returnTo: string): Promise<{ url: URL; login: LoginState }> {
    const config = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const login: LoginState = { codeVerifier, state: oidc.randomState(), nonce: oidc.randomNonce(), returnTo, expiresAt: this.now() + LOGIN_STATE_TTL_MS };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl.href,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: login.state,
      nonce: login.nonce,
    });
    return { url, login };
  }

  /**
   * The callback's query string checked against `login` and exchanged for tokens; the claims are
   * the ID token's, completed from the userinfo endpoint when the username or role claim is not
   * in it (IdPs often keep profile claims out of the ID token).
   */
  async finish(query: string, login: LoginState): Promise<CallbackResult> {
    const config = await this.configuration();
    const current = new URL(this.settings.redirectUrl);
    current.search = query;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: login.codeVerifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true });
      const idClaims = tokens.claims()!;
      const wanted = [this.settings.claims.usernameClaim, this.settings.claims.roleClaim].filter((c): c is string => c !== null);
      if (wanted.every((c) => claimValue(idClaims, c) !== undefined) || !config.serverMetadata().userinfo_endpoint) return { ok: true, claims: { ...idClaims } };
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      // The signed ID token wins where both say something.
      return { ok: true, claims: { ...info, ...idClaims } };
    } catch (e) {
      return refused(e);
    }
  }
}

/**
 * openid-client's errors as a problem and safe details: error codes and check messages, never
 * the code, tokens or response bodies. Anything that is not an answer from the IdP (refused
 * connection, timeout) is DEPENDENCY_MISSING.
 */
function refused(e: unknown): CallbackResult {
  if (e instanceof oidc.AuthorizationResponseError) return { ok: false, problem: 'idp-error', details: { error: e.error, ...(e.error_description ? { description: e.error_description.slice(0, 200) } : {}) } };
  if (e instanceof oidc.ResponseBodyError) return { ok: false, problem: 'token-refused', details: { error: e.error, idpStatus: e.status } };
  if (e instanceof oidc.ClientError || e instanceof oidc.WWWAuthenticateChallengeError) {
    const cause = e.cause instanceof Error ? e.cause.message : null;
    return { ok: false, problem: 'invalid-response', details: { check: [e.message, cause].filter(Boolean).join(': ').slice(0, 300), ...(e.code ? { errorCode: e.code } : {}) } };
  }
  throw unreachable('the OpenID provider did not answer', e);
}

function unreachable(what: string, e: unknown): TingjianError {
  const reason = e instanceof Error ? [e.message, e.cause instanceof Error ? e.cause.message : null].filter(Boolean).join(': ') : String(e);
  return new TingjianError('DEPENDENCY_MISSING', `single sign-on is unavailable: ${what} (${reason}); check TINGJIAN_OIDC_ISSUER and that this server can reach the IdP`, undefined, { cause: e });
}
