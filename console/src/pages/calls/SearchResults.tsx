import { Pagination, Space, Spin, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { searchCalls, type SearchItem } from '../../api/call-search';
import { useApi } from '../../api/use-api';
import { PageState } from '../../components/PageState';
import { common } from '../../i18n/common-messages';
import { formatClock, useFormat, useT } from '../../i18n/i18n';
import { ScoreTag, SentimentTag } from './call-columns';
import { Highlighted } from './Highlighted';
import { messages } from './messages';
import { SEARCH_PAGE_SIZE, searchQuery, type ListView } from './url-filters';

function ResultItem({ item }: { item: SearchItem }) {
  const t = useT(messages);
  const c = useT(common);
  const fmt = useFormat();
  const speaker = (s: SearchItem['snippets'][number]['speaker']) => c(s === 'unknown' ? 'unknownSpeaker' : s);
  return (
    <li className="tj-search-item" data-testid="search-item" data-call-id={item.callId}>
      <div className="tj-search-head">
        <Space wrap size={[12, 4]}>
          <Link to={`/calls/${encodeURIComponent(item.callId)}`} data-testid="search-call-link">
            {fmt.dateTime(item.at)}
          </Link>
          {item.agentId && <Link to={`/agents/${encodeURIComponent(item.agentId)}`}>{item.agentId}</Link>}
          {item.businessLine && <Typography.Text type="secondary">{item.businessLine}</Typography.Text>}
          <ScoreTag percent={item.scorePercent} band={null} fatal={false} t={t} />
          <SentimentTag label={item.sentimentLabel} score={item.customerSentiment} t={t} />
          {item.matchedSegments > 0 && <Tag>{t('matchedSegments', { n: item.matchedSegments })}</Tag>}
        </Space>
      </div>
      {item.snippets.length === 0 ? (
        <Typography.Text type="secondary">{t('noSnippets')}</Typography.Text>
      ) : (
        <ul className="tj-snippets">
          {item.snippets.map((s) => (
            <li key={s.index}>
              <Link to={`/calls/${encodeURIComponent(item.callId)}?t=${s.startMs}`} className="tj-snippet" data-testid="snippet">
                <span className="tj-snippet-time">{formatClock(s.startMs)}</span>
                <span className={`tj-snippet-speaker tj-speaker-${s.speaker}`}>{speaker(s.speaker)}</span>
                <span className="tj-snippet-text">
                  <Highlighted text={s.text} ranges={s.highlights} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The list switched to search: calls that said the words, their sentences with the words marked, each a link to that moment. */
export function SearchResults({ view, onPage }: { view: ListView; onPage: (page: number) => void }) {
  const t = useT(messages);
  const query = searchQuery(view);
  const key = JSON.stringify(query);
  const res = useApi((signal) => searchCalls(query, signal), [key]);
  return (
    <div data-testid="search-results">
      <PageState loading={res.loading && !res.data} error={res.error} onRetry={res.reload} empty={res.data?.total === 0} emptyText={t('searchEmpty', { q: view.q })}>
        {res.data && (
          <>
            <Typography.Paragraph data-testid="search-summary">
              {t('searchSummary', { q: view.q, total: res.data.total })}
              {res.data.totalCapped ? t('searchCapped', { total: res.data.total }) : ''}
            </Typography.Paragraph>
            <Spin spinning={res.loading}>
              <ul className="tj-search-list">
                {res.data.items.map((item) => (
                  <ResultItem key={item.callId} item={item} />
                ))}
              </ul>
            </Spin>
            <Pagination className="tj-search-pages" current={view.page} pageSize={SEARCH_PAGE_SIZE} total={res.data.total} onChange={onPage} showSizeChanger={false} hideOnSinglePage />
          </>
        )}
      </PageState>
    </div>
  );
}
