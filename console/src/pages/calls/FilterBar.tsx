import { ClearOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { fetchCallFacets } from '../../api/call-facets';
import { DEFAULT_BAND_NAMES, fetchPublishedRuleSet, fetchTopics, ruleChoices } from '../../api/filter-choices';
import { useSession } from '../../auth/session';
import { useT } from '../../i18n/i18n';
import { NumberFilter, TextFilter } from './filter-inputs';
import { messages } from './messages';
import type { FilterKey, Filters } from './url-filters';
import { useLazy } from './use-lazy';

/**
 * The day a filter time shows as in the range picker. A `to` given as an instant (a dashboard
 * drill-down sends exclusive ISO instants) at local midnight ends the day before.
 */
const dayOf = (v: string | undefined, end: 'from' | 'to'): Dayjs | null => {
  if (!v) return null;
  const d = dayjs(/^\d+$/.test(v) ? Number(v) : v);
  if (!d.isValid()) return null;
  return end === 'to' && !/^\d{4}-\d{2}-\d{2}$/.test(v) && d.isSame(d.startOf('day')) ? d.subtract(1, 'day') : d;
};

/**
 * The filter bar: every control edits one query-string filter of GET /api/v1/calls. Choice lists
 * (rules and bands from the published rule set, topics; agents, teams and business lines from
 * GET /api/v1/calls/facets) load when their dropdown first opens or their field gets focus.
 */
export function FilterBar({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const t = useT(messages);
  const { can } = useSession();
  const set = (k: FilterKey, v: string | undefined) => {
    const next = { ...filters };
    if (v === undefined || v === '') delete next[k];
    else next[k] = v;
    onChange(next);
  };
  const mayReadRules = can('rules:read');
  const ruleSet = useLazy(async () => ruleChoices(await fetchPublishedRuleSet()));
  const topics = useLazy(async () => (await fetchTopics()).items);
  const facets = useLazy(() => fetchCallFacets());
  // A rule or topic in the URL (a drill-down, a reload) is shown by name, not id: its list loads now.
  const { ensure: ensureRules } = ruleSet;
  const { ensure: ensureTopics } = topics;
  useEffect(() => {
    if (filters.rule && mayReadRules) ensureRules();
  }, [filters.rule, mayReadRules, ensureRules]);
  useEffect(() => {
    if (filters.topic) ensureTopics();
  }, [filters.topic, ensureTopics]);
  const withCurrent = (opts: Array<{ value: string; label: string }>, current: string | undefined) =>
    current && !opts.some((o) => o.value === current) ? [{ value: current, label: current }, ...opts] : opts;
  const bandOptions = useMemo(() => (ruleSet.data?.bands ?? DEFAULT_BAND_NAMES).map((b) => ({ value: b, label: b })), [ruleSet.data]);
  const lazyStatus = (l: { loading: boolean; error: Error | undefined }) => ({
    loading: l.loading,
    notFoundContent: l.error ? <Typography.Text type="danger">{t('choicesFailed', { error: l.error.message })}</Typography.Text> : undefined,
  });
  const select = (k: FilterKey, placeholder: string, options: Array<{ value: string; label: string }>, extra: Record<string, unknown> = {}) => (
    <Select
      className="tj-filter-select"
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={placeholder}
      aria-label={placeholder}
      value={filters[k]}
      options={withCurrent(options, filters[k])}
      onChange={(v: string | undefined) => set(k, v)}
      data-testid={`filter-${k}`}
      popupMatchSelectWidth={false}
      {...extra}
    />
  );
  return (
    <div className="tj-filter-bar" data-testid="filter-bar">
      <DatePicker.RangePicker
        className="tj-filter-range"
        value={[dayOf(filters.from, 'from'), dayOf(filters.to, 'to')]}
        allowEmpty={[true, true]}
        placeholder={[t('filterFrom'), t('filterTo')]}
        onChange={(d) => {
          const next = { ...filters };
          delete next.from;
          delete next.to;
          if (d?.[0]) next.from = d[0].format('YYYY-MM-DD');
          if (d?.[1]) next.to = d[1].format('YYYY-MM-DD');
          onChange(next);
        }}
        data-testid="filter-range"
      />
      <TextFilter value={filters.businessLine} onCommit={(v) => set('businessLine', v)} suggestions={facets.data?.businessLines ?? []} onFocus={facets.ensure} placeholder={t('filterBusinessLine')} testId="filter-businessLine" />
      <TextFilter value={filters.agentId} onCommit={(v) => set('agentId', v)} suggestions={facets.data?.agents ?? []} onFocus={facets.ensure} placeholder={t('filterAgent')} testId="filter-agentId" />
      <TextFilter value={filters.teamId} onCommit={(v) => set('teamId', v)} suggestions={facets.data?.teams ?? []} onFocus={facets.ensure} placeholder={t('filterTeam')} testId="filter-teamId" />
      {select('status', t('filterStatus'), [
        { value: 'processing', label: t('statusProcessing') },
        { value: 'done', label: t('statusDone') },
        { value: 'failed', label: t('statusFailed') },
      ])}
      <span className="tj-filter-pair">
        <NumberFilter value={filters.minScore} onCommit={(v) => set('minScore', v)} placeholder={t('filterMinScore')} testId="filter-minScore" min={0} max={100} />
        <span className="tj-filter-dash">–</span>
        <NumberFilter value={filters.maxScore} onCommit={(v) => set('maxScore', v)} placeholder={t('filterMaxScore')} testId="filter-maxScore" min={0} max={100} />
      </span>
      {select('band', t('filterBand'), bandOptions, { onOpenChange: (o: boolean) => o && mayReadRules && ruleSet.ensure(), ...lazyStatus(ruleSet) })}
      {select('rule', t('filterRule'), ruleSet.data?.rules ?? [], { onOpenChange: (o: boolean) => o && mayReadRules && ruleSet.ensure(), ...lazyStatus(ruleSet), className: 'tj-filter-select tj-filter-wide' })}
      {select('sentiment', t('filterEmotion'), [
        { value: 'positive', label: t('positive') },
        { value: 'neutral', label: t('neutral') },
        { value: 'negative', label: t('negative') },
      ])}
      {select('topic', t('filterTopic'), (topics.data ?? []).map((x) => ({ value: x.id, label: x.name })), { onOpenChange: (o: boolean) => o && topics.ensure(), ...lazyStatus(topics) })}
      <span className="tj-filter-pair">
        <NumberFilter value={filters.minDurationMs} onCommit={(v) => set('minDurationMs', v)} placeholder={t('filterMinDuration')} testId="filter-minDuration" min={0} max={86400} scale={1000} />
        <span className="tj-filter-dash">–</span>
        <NumberFilter value={filters.maxDurationMs} onCommit={(v) => set('maxDurationMs', v)} placeholder={t('filterMaxDuration')} testId="filter-maxDuration" min={0} max={86400} scale={1000} />
      </span>
      <Checkbox checked={filters.fatal === 'true'} onChange={(e) => set('fatal', e.target.checked ? 'true' : undefined)} data-testid="filter-fatal">
        {t('filterFatal')}
      </Checkbox>
      <Button icon={<ClearOutlined />} onClick={() => onChange({})} disabled={Object.keys(filters).length === 0} data-testid="filter-clear">
        {t('clearFilters')}
      </Button>
    </div>
  );
}
