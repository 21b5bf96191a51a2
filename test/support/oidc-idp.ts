import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider for the single sign-on tests: panva's oidc-provider (OpenID certified)
 * on 127.0.0.1, with one confidential client, the users given, and its development sign-in and
 * consent pages — which TestBrowser fills in like a person would.
 */
export interface IdpUser {
  preferred_username?: string;
  name?: string;
  email?: string;
  groups?: string[];
}

export const IDP_CLIENT = { clientId: 'tingjian-console', clientSecret: 'oidc-test-client-secret-3f9a1c' };

export async function startIdp(opts: { users: Record<string, IdpUser>; redirectUris: string[] }): Promise<{ issuer: string; close: () => Promise<void> }> {
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const server = http.createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: IDP_CLIENT.clientId, client_secret: IDP_CLIENT.clientSecret, redirect_uris: opts.redirectUris, token_endpoint_auth_method: 'client_secret_post' }],
    findAccount: (_ctx, sub) => (opts.users[sub] ? { accountId: sub, claims: () => ({ sub, ...opts.users[sub] }) } : undefined),
    // groups rides on the profile scope; the ID token carries only sub (profile claims come from userinfo).
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups'], email: ['email'] },
    cookies: { keys: ['idp-cookie-signing-key'] },
  });
  handler = provider.callback();
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A browser for these tests: cookies per origin (Path and expiry honoured roughly: Max-Age=0
 * deletes), redirects followed by hand, and `aliases` mapping a public origin (the redirect URL a
 * reverse proxy would serve) to the server actually listening.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly aliases: Record<string, string> = {}) {}

  private real(url: string): URL {
    const u = new URL(url);
    const to = this.aliases[u.origin];
    return to ? new URL(`${to}${u.pathname}${u.search}`) : u;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(new URL(origin).origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const o = new URL(origin).origin;
    if (!this.jar.has(o)) this.jar.set(o, new Map());
    this.jar.get(o)!.set(name, value);
  }

  /** One request, no redirect followed; Set-Cookie stored. */
  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const u = this.real(url);
    const cookies = [...(this.jar.get(u.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(u, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: { ...(cookies ? { cookie: cookies } : {}), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a)) || value === '';
      if (gone) this.jar.get(u.origin)?.delete(name);
      else this.setCookie(u.origin, name, value);
    }
    return res;
  }

  /**
   * From the IdP authorization URL to the redirect back: signs in as `sub` on the IdP's
   * sign-in page and confirms its consent page. Returns the callback URL, not yet visited.
   */
  async signInAtIdp(authorizationUrl: string, sub: string, callbackPrefix: string): Promise<string> {
    let url = authorizationUrl;
    for (let step = 0; step < 12; step++) {
      if (url.startsWith(callbackPrefix)) return url;
      const res = await this.go(url);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).href;
        continue;
      }
      const html = await res.text();
      assert.equal(res.status, 200, `${url}: ${html.slice(0, 300)}`);
      const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'), url).href;
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const submitted = await this.go(action, { form: prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt: prompt ?? 'consent' } });
      assert.ok(submitted.status >= 300 && submitted.status < 400, `${prompt} form: ${submitted.status}`);
      url = new URL(submitted.headers.get('location')!, action).href;
    }
    throw new Error(`no redirect back to ${callbackPrefix} after 12 steps (at ${url})`);
  }
}
