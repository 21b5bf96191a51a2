import { Alert, Button, Card, Col, DatePicker, Row, Segmented, Select, Statistic } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Granularity, Kpis } from '../../api/reports';
import type { ApiState } from '../../api/use-api';
import { PageState } from '../../components/PageState';
import { useFormat, useT } from '../../i18n/i18n';
import { messages } from './messages';
import { DEFAULT_RANGE, GRANULARITIES, RANGES, readView, reportFilters, today, writeView, type RangeKey, type ReportView } from './report-view';
import './dashboard.css';

/** The view in the query string, the report filters it means, and a setter (replace: no history entry). */
export function useReportView() {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => readView(params), [params]);
  // Presets count from today: recomputed when the view or the day changes, not on every render.
  const day = today();
  const filters = useMemo(() => reportFilters(view), [view, day]);
  const setView = useCallback((v: ReportView, replace = false) => setParams(writeView(v), { replace }), [setParams]);
  return { view, filters, setView };
}

/**
 * The default range (last 30 days) holding no call switches the view to all time, once, and says
 * so (`autoAll`); a range the user picked stays. `clear` hides the note (the user changed the view).
 */
export function useAutoAllTime(view: ReportView, setView: (v: ReportView, replace?: boolean) => void, calls: number | undefined, loading: boolean) {
  const [autoAll, setAutoAll] = useState(false);
  const defaultEmpty = !view.rangeGiven && view.range === DEFAULT_RANGE && calls === 0 && !loading;
  useEffect(() => {
    if (!defaultEmpty) return;
    setAutoAll(true);
    setView({ ...view, range: 'all', rangeGiven: true }, true);
  }, [defaultEmpty, view, setView]);
  return { autoAll: autoAll && view.range === 'all', clear: useCallback(() => setAutoAll(false), []) };
}

/** Notes above the KPIs: switched to all time by itself, or the picked range is empty (with a way to all time). */
export function RangeNotes(props: { view: ReportView; autoAll: boolean; calls: number | undefined; onAllTime: () => void }) {
  const t = useT(messages);
  if (props.autoAll) return <Alert className="tj-dash-note" type="info" showIcon closable title={t('autoAllTime')} data-testid="auto-all-time" />;
  if (!props.view.rangeGiven || props.view.range === 'all' || props.calls !== 0) return null;
  return (
    <Alert
      className="tj-dash-note"
      type="warning"
      showIcon
      title={t('emptyRange')}
      action={
        <Button size="small" onClick={props.onAllTime} data-testid="show-all-time">
          {t('showAllTime')}
        </Button>
      }
    />
  );
}

const RANGE_LABEL: Record<RangeKey, 'range7d' | 'range30d' | 'range90d' | 'rangeAll' | 'rangeCustom'> = { '7d': 'range7d', '30d': 'range30d', '90d': 'range90d', all: 'rangeAll', custom: 'rangeCustom' };
const GRANULARITY_LABEL: Record<Granularity, 'granularityDay' | 'granularityWeek' | 'granularityMonth'> = { day: 'granularityDay', week: 'granularityWeek', month: 'granularityMonth' };

/**
 * Time range (presets or a custom range of days), the trend's granularity and, on the dashboard,
 * agent / team / business line (choices from the reports, so only what the user may see).
 */
export function ReportFilterBar(props: {
  view: ReportView;
  onChange: (v: ReportView) => void;
  choices?: { agents: string[]; teams: string[]; businessLines: string[] } | undefined;
}) {
  const t = useT(messages);
  const { view, onChange, choices } = props;
  const set = (patch: Partial<ReportView>) => onChange({ ...view, ...patch });
  const select = (key: 'agentId' | 'teamId' | 'businessLine', placeholder: string, values: string[]) => (
    <Select
      className="tj-dash-select"
      allowClear
      showSearch
      placeholder={placeholder}
      aria-label={placeholder}
      value={view[key]}
      options={values.map((v) => ({ value: v, label: v }))}
      onChange={(v: string | undefined) => set({ [key]: v })}
      data-testid={`filter-${key}`}
    />
  );
  return (
    <div className="tj-dash-filters" data-testid="report-filters">
      <Segmented
        value={view.range}
        options={RANGES.filter((r) => r !== 'custom' || view.range === 'custom').map((r) => ({ value: r, label: t(RANGE_LABEL[r]) }))}
        onChange={(r) => set({ range: r as RangeKey, rangeGiven: true, fromDay: undefined, toDay: undefined })}
        data-testid="filter-range"
      />
      <DatePicker.RangePicker
        className="tj-dash-range"
        value={view.range === 'custom' && view.fromDay && view.toDay ? [dayjs(view.fromDay), dayjs(view.toDay)] : null}
        onChange={(v) => {
          const [a, b] = v ?? [];
          if (a && b) set({ range: 'custom', rangeGiven: true, fromDay: a.format('YYYY-MM-DD'), toDay: b.format('YYYY-MM-DD') });
          else set({ range: DEFAULT_RANGE, rangeGiven: true, fromDay: undefined, toDay: undefined });
        }}
        data-testid="filter-days"
      />
      {choices && (
        <>
          {select('agentId', t('agent'), choices.agents)}
          {select('teamId', t('team'), choices.teams)}
          {select('businessLine', t('businessLine'), choices.businessLines)}
        </>
      )}
      <Segmented value={view.granularity} options={GRANULARITIES.map((g) => ({ value: g, label: t(GRANULARITY_LABEL[g]) }))} onChange={(g) => set({ granularity: g as Granularity })} data-testid="filter-granularity" />
      <Button onClick={() => onChange({ range: DEFAULT_RANGE, rangeGiven: false, granularity: 'day' })} data-testid="filter-reset">
        {t('reset')}
      </Button>
    </div>
  );
}

/** A card whose body shows the report's loading, error and empty states, else the chart. */
export function ChartCard<T>(props: { title: ReactNode; testId: string; state: ApiState<T>; empty: (data: T) => boolean; extra?: ReactNode; children: (data: T) => ReactNode }) {
  const { data, error, loading, reload } = props.state;
  return (
    <Card size="small" title={props.title} extra={props.extra} className="tj-dash-card" data-testid={props.testId}>
      <PageState loading={loading && data === undefined} error={error} empty={data !== undefined && props.empty(data)} onRetry={reload} keepChildrenWhileLoading>
        {data !== undefined && props.children(data)}
      </PageState>
    </Card>
  );
}

/** Enter or space on a focused card opens it, as a click does. */
function onKey(e: KeyboardEvent, open: () => void) {
  if (e.key !== 'Enter' && e.key !== ' ') return;
  e.preventDefault();
  open();
}

/**
 * The four KPIs: calls, average score, violation rate, fatal calls; those with an `onOpen` link to
 * their calls. `failed`: the report did not load (its error is shown beside): dashes, not skeletons.
 */
export function KpiCards(props: { kpis: Kpis | undefined; prefix: string; failed?: boolean; onOpen?: (kpi: 'calls' | 'fatal') => void }) {
  const t = useT(messages);
  const fmt = useFormat();
  const k = props.kpis;
  const card = (id: string, title: string, value: string, hint: string, open?: () => void) => (
    <Card
      size="small"
      className={open ? 'tj-dash-kpi tj-dash-kpi-link' : 'tj-dash-kpi'}
      data-testid={`${props.prefix}-${id}`}
      onClick={open}
      // A card that opens its calls is a link for the keyboard too.
      {...(open && { role: 'link', tabIndex: 0, onKeyDown: (e: KeyboardEvent) => onKey(e, open) })}
    >
      <Statistic title={title} value={value} loading={k === undefined && !props.failed} formatter={(v) => <span data-testid={`${props.prefix}-${id}-value`}>{v}</span>} />
      <div className="tj-dash-kpi-hint">{hint}</div>
    </Card>
  );
  const open = props.onOpen;
  const cards = [
    card('calls', t('kpiCalls'), fmt.number(k?.calls), '\u00a0', open && (() => open('calls'))),
    card('avg-score', t('kpiAvgScore'), fmt.number(k?.avgScore), k ? t('kpiScoredHint', { n: k.scoredCalls }) : '\u00a0'),
    card('hit-rate', t('kpiHitRate'), k?.hitRate == null ? '—' : `${fmt.number(k.hitRate * 100)}%`, k ? t('kpiHitHint', { hits: k.hitCalls, inspected: k.inspectedCalls }) : '\u00a0'),
    card('fatal', t('kpiFatal'), fmt.number(k?.fatalCalls), t('kpiFatalHint'), open && (() => open('fatal'))),
  ];
  return (
    <Row gutter={[16, 16]} className="tj-gap-bottom">
      {cards.map((c, i) => (
        <Col key={i} xs={12} lg={6}>
          {c}
        </Col>
      ))}
    </Row>
  );
}
