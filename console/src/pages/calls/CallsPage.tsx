import { ArrowLeftOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Input, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { listCalls, type CallListItem } from '../../api/call-list';
import { useApi } from '../../api/use-api';
import { takeEarly } from '../../api/start-early';
import { callsListKey } from '../../app/route-prefetch';
import { PageState } from '../../components/PageState';
import { useT } from '../../i18n/i18n';
import { BulkActions } from './bulk/BulkActions';
import './calls.css';
import { CallsTable } from './CallsTable';
import { FilterBar } from './FilterBar';
import { messages } from './messages';
import { SavedFilters } from './SavedFilters';
import { SearchResults } from './SearchResults';
import { hasFilters, listQuery, readView, savedQuery, writeView, type Filters, type ListView } from './url-filters';

/**
 * The calls list of the QA workbench: filters, sort and page live in the query string (links and
 * reloads keep them); search words switch it to search results; selected rows get bulk actions.
 * The first load fetches only the table (GET /api/v1/calls, limit 50).
 */
export default function CallsPage() {
  const t = useT(messages);
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readView(params), [params]);
  const go = (next: ListView) => setParams(writeView(next));
  const setFilters = (filters: Filters) => go({ ...view, filters, page: 1 });
  const [selected, setSelected] = useState<{ ids: string[]; rows: CallListItem[] }>({ ids: [], rows: [] });
  const [searchText, setSearchText] = useState(view.q);
  useEffect(() => setSearchText(view.q), [view.q]);

  const query = view.q ? null : listQuery(view);
  const key = JSON.stringify(query);
  const list = useApi(async (signal) => {
    if (!query) return undefined;
    // The first list of a page opened directly was started with the app (app/route-prefetch.ts).
    return takeEarly(callsListKey(query), () => listCalls(query, signal));
  }, [key]);

  return (
    <div className="tj-calls" data-testid="calls-page">
      <div className="tj-calls-head">
        <Typography.Title level={3} className="tj-calls-title">
          {t('title')}
        </Typography.Title>
        <Input.Search
          className="tj-calls-search"
          allowClear
          enterButton={<Button type="primary" icon={<SearchOutlined />} aria-label={t('searchButton')} data-testid="calls-search-button" />}
          placeholder={t('searchPlaceholder')}
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          onSearch={(q) => go({ ...view, q: q.trim(), page: 1 })}
          data-testid="calls-search"
        />
        <Space>
          <SavedFilters current={savedQuery(view)} onApply={(q) => setParams(new URLSearchParams(q))} />
        </Space>
      </div>
      <FilterBar filters={view.filters} onChange={setFilters} />
      {view.q ? (
        <>
          <Button
            type="link"
            icon={<ArrowLeftOutlined />}
            className="tj-back"
            onClick={() => go({ ...view, q: '', page: 1 })}
            data-testid="search-back"
          >
            {t('backToList')}
          </Button>
          <SearchResults view={view} onPage={(page) => go({ ...view, page })} />
        </>
      ) : (
        <>
          <BulkActions selected={selected.rows} onClear={() => setSelected({ ids: [], rows: [] })} onChanged={list.reload} />
          <PageState
            loading={list.loading && !list.data}
            error={list.error}
            onRetry={list.reload}
            empty={list.data?.total === 0 && list.data.items.length === 0}
            emptyText={hasFilters(view) ? t('emptyFiltered') : t('emptyAll')}
          >
            {list.data && (
              <CallsTable
                view={view}
                page={list.data}
                loading={list.loading}
                selectedIds={selected.ids}
                onSelect={(ids, rows) => setSelected({ ids, rows })}
                onView={(change) => go({ ...view, ...change })}
              />
            )}
          </PageState>
        </>
      )}
    </div>
  );
}
