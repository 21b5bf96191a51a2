import type { z } from 'zod';
import type { savedFilterSchema } from '../../../src/http/routes/saved-filter.schema';
import type { SavedFilterPage } from '../../../src/ports/saved-filter-repository';
import { del, get, post } from './client';

/** The console pages a filter can be saved for (SAVED_FILTER_PAGES in src/ports/saved-filter-repository.ts). */
export type { SavedFilterPage };

/** A named filter of a console page (GET/POST/DELETE /api/v1/saved-filters): the page's query string as key → value. */
export type SavedFilter = z.infer<typeof savedFilterSchema>;

export const listSavedFilters = (page: SavedFilterPage, signal?: AbortSignal) => get<{ items: SavedFilter[] }>('/api/v1/saved-filters', { page }, signal);
export const saveFilter = (body: { name: string; page: SavedFilterPage; query: Record<string, string> }) => post<SavedFilter>('/api/v1/saved-filters', body);
export const deleteSavedFilter = (id: string) => del<unknown>(`/api/v1/saved-filters/${encodeURIComponent(id)}`);
