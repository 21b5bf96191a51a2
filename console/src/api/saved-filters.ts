import { del, get, post } from './client';

/** A named filter of a console page (GET/POST/DELETE /api/v1/saved-filters). */
export interface SavedFilter {
  id: string;
  name: string;
  page: string;
  /** The page's query string as key → value. */
  query: Record<string, string>;
  createdAt: string;
}

export const listSavedFilters = (page: string, signal?: AbortSignal) => get<{ items: SavedFilter[] }>('/api/v1/saved-filters', { page }, signal);
export const saveFilter = (body: { name: string; page: string; query: Record<string, string> }) => post<SavedFilter>('/api/v1/saved-filters', body);
export const deleteSavedFilter = (id: string) => del<unknown>(`/api/v1/saved-filters/${encodeURIComponent(id)}`);
