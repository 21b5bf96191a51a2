/** The console pages a filter can be saved for. */
export const SAVED_FILTER_PAGES = ['calls', 'search', 'dashboard'] as const;
export type SavedFilterPage = (typeof SAVED_FILTER_PAGES)[number];

/** A filter someone saved on a console page: the page's query string, by name, per account. */
export interface SavedFilter {
  id: string;
  accountId: string;
  page: SavedFilterPage;
  name: string;
  query: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
}

/** Saved filters, per account: they follow the user across browsers. */
export interface SavedFilterRepository {
  /**
   * Stores the filter unless the account already has one of that name on that page ('name-taken')
   * or already has `maxPerAccount` filters ('full'). Atomic: saves at the same time never take an
   * account past the limit.
   */
  insert(f: SavedFilter, maxPerAccount: number): Promise<'saved' | 'name-taken' | 'full'>;
  /** The account's filters, of one page when given, in name order (then page). */
  list(accountId: string, page?: SavedFilterPage): Promise<SavedFilter[]>;
  /** How many filters the account has, every page together. */
  count(accountId: string): Promise<number>;
  /** Deletes the account's filter; false when the account has none of that id. */
  delete(accountId: string, id: string): Promise<boolean>;
}
