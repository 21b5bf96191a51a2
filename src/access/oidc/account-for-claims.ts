import type { Account } from '../account.js';
import type { Role } from '../permissions.js';

/** The verified claims of a sign-in: the ID token's, completed from the userinfo endpoint. */
export type OidcClaims = { sub: string } & Record<string, unknown>;

/** How claims become a Tingjian account (from the oidc* settings). */
export interface ClaimMapping {
  /** Claim holding the user name (preferred_username, email, upn …). */
  usernameClaim: string;
  /** Claim holding role names; a dotted path reaches into objects (realm_access.roles). */
  roleClaim: string | null;
  /** Claim value → role, in priority order: the first entry the user holds wins. */
  roleMap: Readonly<Record<string, Role>>;
  /** Create unknown users (with the mapped role) instead of refusing them. */
  autoCreate: boolean;
}

/** Accounts that may be this user, looked up before deciding. */
export interface ExistingAccounts {
  /** The account linked to the claims' subject (accounts.oidcSubject). */
  bySubject: Account | null;
  /** The account named like the username claim. */
  byUsername: Account | null;
}

export type OidcRefusal =
  /** No account is linked to the subject and the username claim is missing or not a string. */
  | 'no-username'
  /** No such account and oidcAutoCreate is off. */
  | 'unknown-user'
  /** Auto-create is on but none of the user's role claim values is in oidcRoleMap. */
  | 'no-role'
  | 'disabled'
  /** The account of that name is already linked to another subject: a namesake at the IdP must not take it over. */
  | 'subject-mismatch';

export type ClaimsDecision =
  | { kind: 'sign-in'; account: Account; /** Store the subject on the account (first sign-in of an account matched by name). */ linkSubject: boolean }
  | { kind: 'create'; username: string; role: Role; displayName: string | null }
  | { kind: 'refuse'; reason: OidcRefusal; account: Account | null; username: string | null };

/** A claim by name, or by dotted path into nested objects when no claim has the literal name. */
export function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let at: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** The user name the claims carry, trimmed; null when the claim is absent or not a non-empty string. */
export function claimedUsername(claims: Record<string, unknown>, mapping: Pick<ClaimMapping, 'usernameClaim'>): string | null {
  const v = claimValue(claims, mapping.usernameClaim);
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** The role of the first oidcRoleMap entry whose key the role claim holds (a string or a list of them). */
export function mappedRole(claims: Record<string, unknown>, mapping: Pick<ClaimMapping, 'roleClaim' | 'roleMap'>): Role | null {
  if (!mapping.roleClaim) return null;
  const v = claimValue(claims, mapping.roleClaim);
  const held = new Set((Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string'));
  for (const [value, role] of Object.entries(mapping.roleMap)) if (held.has(value)) return role;
  return null;
}

/**
 * Which account verified claims sign in as — pure, so every rule is a unit test:
 * 1. the account linked to the subject (the IdP's stable id: a renamed user keeps their account);
 * 2. else the account named like the username claim, linking the subject to it — unless it is
 *    already linked to another subject;
 * 3. else, with auto-create on, a new account with the mapped role (refused when none maps);
 *    off, refused.
 * A disabled account is refused whichever way it was found. Roles of existing accounts are
 * Tingjian's to manage: the role claim only seeds new accounts.
 */
export function accountForClaims(claims: OidcClaims, mapping: ClaimMapping, existing: ExistingAccounts): ClaimsDecision {
  const username = claimedUsername(claims, mapping);
  const refuse = (reason: OidcRefusal, account: Account | null = null): ClaimsDecision => ({ kind: 'refuse', reason, account, username: account?.username ?? username });
  if (existing.bySubject) return existing.bySubject.disabled ? refuse('disabled', existing.bySubject) : { kind: 'sign-in', account: existing.bySubject, linkSubject: false };
  if (!username) return refuse('no-username');
  const named = existing.byUsername;
  if (named) {
    if (named.oidcSubject !== null && named.oidcSubject !== claims.sub) return refuse('subject-mismatch', named);
    if (named.disabled) return refuse('disabled', named);
    return { kind: 'sign-in', account: named, linkSubject: named.oidcSubject === null };
  }
  if (!mapping.autoCreate) return refuse('unknown-user');
  const role = mappedRole(claims, mapping);
  if (!role) return refuse('no-role');
  const name = claimValue(claims, 'name');
  return { kind: 'create', username, role, displayName: typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : null };
}
