import { isTingjianError } from '../../domain/errors.js';
import type { AccountRepository } from '../../ports/repositories.js';
import type { Account } from '../account.js';
import type { AccountService, Client } from '../account-service.js';
import { accountForClaims, claimedUsername, type OidcRefusal } from './account-for-claims.js';
import { loginStateKey, openLoginState, safeReturnTo, sealLoginState } from './login-state.js';
import { OidcClient, type CallbackProblem } from './oidc-client.js';
import type { OidcSettings } from './oidc-settings.js';

export type OidcFailure =
  | OidcRefusal
  | CallbackProblem
  /** No (valid, unexpired) login state cookie: another browser, a sign-in older than 10 minutes, a forged callback. */
  | 'no-login-state'
  /** Auto-create: the IdP's user name is not a valid Tingjian user name. */
  | 'invalid-username';

export type OidcSignInResult =
  | { ok: true; account: Account; sessionId: string; csrfToken: string; expiresAt: number; returnTo: string; created: boolean; linked: boolean }
  | { ok: false; reason: OidcFailure; account: Account | null; username: string | null; details: Record<string, unknown> };

/**
 * Signing in through the IdP: `begin` gives the IdP URL and the sealed login state for the
 * browser to keep; `complete` checks the callback against it, maps the claims to an account
 * (accountForClaims), links or creates it, and starts a session exactly as a password login does.
 */
export class OidcSignIn {
  private readonly client: OidcClient;
  private readonly key: Buffer;

  constructor(
    readonly settings: OidcSettings,
    private readonly accounts: AccountService,
    private readonly lookup: Pick<AccountRepository, 'findByOidcSubject' | 'findByUsername'>,
    private readonly now: () => number = Date.now,
  ) {
    this.client = new OidcClient(settings, now);
    this.key = loginStateKey(settings.clientSecret);
  }

  async begin(returnTo: string | undefined): Promise<{ redirectTo: URL; sealedState: string }> {
    const { url, login } = await this.client.start(safeReturnTo(returnTo));
    return { redirectTo: url, sealedState: sealLoginState(login, this.key) };
  }

  async complete(query: string, sealedState: string | null, client: Client): Promise<OidcSignInResult> {
    const fail = (reason: OidcFailure, account: Account | null = null, username: string | null = null, details: Record<string, unknown> = {}) =>
      ({ ok: false, reason, account, username, details }) as const;
    const login = openLoginState(sealedState, this.key, this.now());
    if (!login) return fail('no-login-state');
    const r = await this.client.finish(query, login);
    if (!r.ok) return fail(r.problem, null, null, r.details);
    const { claims } = r;
    const username = claimedUsername(claims, this.settings.claims);
    const decision = accountForClaims(claims, this.settings.claims, {
      bySubject: await this.lookup.findByOidcSubject(claims.sub),
      byUsername: username ? await this.lookup.findByUsername(username) : null,
    });
    if (decision.kind === 'refuse') return fail(decision.reason, decision.account, decision.username, { subject: claims.sub });

    let account: Account;
    let created = false;
    let linked = false;
    if (decision.kind === 'create') {
      try {
        account = await this.accounts.createAccount({ username: decision.username, role: decision.role, displayName: decision.displayName, oidcSubject: claims.sub });
        created = true;
      } catch (e) {
        if (isTingjianError(e) && (e.code === 'INVALID_REQUEST' || e.code === 'CONFLICT')) return fail('invalid-username', null, decision.username, { subject: claims.sub, problem: e.message });
        throw e;
      }
    } else if (decision.linkSubject) {
      // updateAccount also ends the account's other sessions: its identity just changed hands.
      account = await this.accounts.updateAccount(decision.account.id, { oidcSubject: claims.sub });
      linked = true;
    } else {
      account = decision.account;
    }
    return { ok: true, account, ...(await this.accounts.startSession(account, client)), returnTo: login.returnTo, created, linked };
  }
}
