import { fetchCallFacets } from '../../api/call-facets';
import { Col, Row, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { fetchAgents, fetchBusinessLines, fetchEmotion, fetchOverview, fetchRules, fetchTopics, type AgentRow } from '../../api/reports';
import { useApi } from '../../api/use-api';
import { Chart, type ChartClick } from '../../components/Chart';
import { useFormat, useT } from '../../i18n/i18n';
import { bandsOption, businessLinesOption, emotionOption, ruleTrendOption, scoreDistributionOption, scoreTrendOption, SENTIMENTS, topicTrendOption, topRulesOption } from './chart-options';
import { messages } from './messages';
import { ChartCard, KpiCards, RangeNotes, ReportFilterBar, useAutoAllTime, useReportView } from './ReportParts';
import { bucketMaxScore, callsLink, type Drill } from './report-view';

/** Agents listed in the ranking card (best average score first). */
const RANKED = 50;

/**
 * 质检看板: KPIs and charts over the calls the user may see, each chart drilling down to its calls
 * on the calls page (/calls?<filters>) or to an agent's page. The time range defaults to the last
 * 30 days; when those hold no call (the demo's calls are dated 2025) it switches to all time.
 */
export default function DashboardPage() {
  const t = useT(messages);
  const fmt = useFormat();
  const navigate = useNavigate();
  const { view, filters, setView } = useReportView();

  const overview = useApi((s) => fetchOverview(filters, s), [filters]);
  const rules = useApi((s) => fetchRules(filters, 10, s), [filters]);
  const agents = useApi((s) => fetchAgents(filters, { limit: RANKED }, s), [filters]);
  const lines = useApi((s) => fetchBusinessLines(filters, s), [filters]);
  const emotion = useApi((s) => fetchEmotion(filters, s), [filters]);
  const topics = useApi((s) => fetchTopics(filters, 6, s), [filters]);
  // Filter choices: every agent, team and business line the user may see, whatever the range.
  const facets = useApi((s) => fetchCallFacets(s), []);
  const choices = useMemo(() => {
    const f = facets.data;
    const sorted = (xs: Array<{ value: string }>) => xs.map((x) => x.value).sort();
    return f ? { agents: sorted(f.agents), teams: sorted(f.teams), businessLines: sorted(f.businessLines) } : undefined;
  }, [facets.data]);

  const { autoAll, clear } = useAutoAllTime(view, setView, overview.data?.calls, overview.loading);

  const go = (d: Drill) => navigate(callsLink(filters, d));
  const g = view.granularity;
  const options = {
    distribution: useMemo(() => overview.data && scoreDistributionOption(overview.data.scoreDistribution, t), [overview.data, t]),
    bands: useMemo(() => overview.data && bandsOption(overview.data.bands), [overview.data]),
    trend: useMemo(() => overview.data && scoreTrendOption(overview.data, g, t), [overview.data, g, t]),
    rules: useMemo(() => rules.data && topRulesOption(rules.data.items, t), [rules.data, t]),
    ruleTrend: useMemo(() => rules.data && ruleTrendOption(rules.data, g), [rules.data, g]),
    lines: useMemo(() => lines.data && businessLinesOption(lines.data, t), [lines.data, t]),
    emotion: useMemo(() => emotion.data && emotionOption(emotion.data, g, t), [emotion.data, g, t]),
    topics: useMemo(() => topics.data && topicTrendOption(topics.data, g), [topics.data, g]),
  };

  const onDistribution = (c: ChartClick) => {
    const b = overview.data?.scoreDistribution[c.dataIndex];
    if (b) go({ minScore: b.from, maxScore: bucketMaxScore(b.to) });
  };
  const bucketOf = (buckets: Array<{ bucket: string; from: string; to: string }> | undefined, i: number) => buckets?.[i];

  const agentColumns = [
    { title: t('rank'), key: 'rank', width: 56, render: (_: unknown, _r: AgentRow, i: number) => i + 1 },
    {
      title: t('agent'),
      dataIndex: 'agentId',
      render: (id: string) => (
        <Link to={`/agents/${encodeURIComponent(id)}`} data-testid="ranking-agent">
          {id}
        </Link>
      ),
    },
    { title: t('team'), dataIndex: 'teamId', render: (v: string | null) => v ?? '—' },
    { title: t('calls'), dataIndex: 'calls', align: 'right' as const },
    { title: t('avgScore'), dataIndex: 'avgScore', align: 'right' as const, render: (v: number | null) => fmt.number(v) },
    { title: t('hitRate'), dataIndex: 'hitRate', align: 'right' as const, render: (v: number | null) => (v === null ? '—' : `${fmt.number(v * 100)}%`) },
    { title: t('fatalCalls'), dataIndex: 'fatalCalls', align: 'right' as const },
  ];

  return (
    <div data-testid="dashboard">
      <div className="tj-dash-head">
        <Typography.Title level={3} className="tj-dash-title">
          {t('title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('clickHint')}</Typography.Text>
      </div>
      <ReportFilterBar
        view={view}
        choices={choices}
        onChange={(v) => {
          clear();
          setView(v);
        }}
      />
      <RangeNotes view={view} autoAll={autoAll} calls={overview.data?.calls} onAllTime={() => setView({ ...view, range: 'all', fromDay: undefined, toDay: undefined })} />
      <KpiCards kpis={overview.data} failed={overview.error !== undefined} prefix="kpi" onOpen={(k) => go(k === 'fatal' ? { fatal: true } : {})} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('scoreDistribution')} testId="chart-score-distribution" state={overview} empty={(o) => o.scoredCalls === 0}>
            {() => <Chart option={options.distribution!} onClick={onDistribution} testId="score-distribution-canvas" label={t('scoreDistribution')} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('bands')} testId="chart-bands" state={overview} empty={(o) => o.bands.length === 0}>
            {(o) => <Chart option={options.bands!} onClick={(c) => o.bands[c.dataIndex] && go({ band: o.bands[c.dataIndex]!.band })} testId="bands-canvas" label={t('bands')} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('scoreTrend')} testId="chart-score-trend" state={overview} empty={(o) => o.calls === 0}>
            {(o) => <Chart option={options.trend!} onClick={(c) => go({ bucket: bucketOf(o.buckets, c.dataIndex) })} testId="score-trend-canvas" label={t('scoreTrend')} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('topRules')} testId="chart-top-rules" state={rules} empty={(r) => r.items.length === 0}>
            {(r) => <Chart option={options.rules!} onClick={(c) => r.items[c.dataIndex] && go({ rule: r.items[c.dataIndex]!.ruleId })} testId="top-rules-canvas" label={t('topRules')} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('ruleTrend')} testId="chart-rule-trend" state={rules} empty={(r) => r.items.length === 0}>
            {(r) => <Chart option={options.ruleTrend!} onClick={(c) => c.seriesId && go({ rule: c.seriesId, bucket: bucketOf(r.buckets, c.dataIndex) })} testId="rule-trend-canvas" label={t('ruleTrend')} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('agentRanking')} testId="chart-agent-ranking" state={agents} empty={(a) => a.items.length === 0}>
            {(a) => <Table<AgentRow> size="small" rowKey="agentId" columns={agentColumns} dataSource={a.items} pagination={false} scroll={{ y: 236 }} data-testid="agent-ranking" />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('businessLines')} testId="chart-business-lines" state={lines} empty={(l) => l.items.length === 0}>
            {(l) => <Chart option={options.lines!} onClick={(c) => l.items[c.dataIndex] && go({ businessLine: l.items[c.dataIndex]!.businessLine })} testId="business-lines-canvas" label={t('businessLines')} />}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('emotionTrend')} testId="chart-emotion" state={emotion} empty={(e) => e.totals.positive + e.totals.neutral + e.totals.negative === 0}>
            {(e) => (
              <Chart
                option={options.emotion!}
                onClick={(c) => {
                  const s = SENTIMENTS.find((x) => x === c.seriesId);
                  if (s) go({ sentiment: s, bucket: bucketOf(e.buckets, c.dataIndex) });
                }}
                testId="emotion-canvas"
                label={t('emotionTrend')}
              />
            )}
          </ChartCard>
        </Col>
        <Col xs={24} xl={12} xxl={8}>
          <ChartCard title={t('topicTrend')} testId="chart-topics" state={topics} empty={(tp) => tp.items.length === 0}>
            {(tp) => <Chart option={options.topics!} onClick={(c) => c.seriesId && go({ topic: c.seriesId, bucket: bucketOf(tp.buckets, c.dataIndex) })} testId="topics-canvas" label={t('topicTrend')} />}
          </ChartCard>
        </Col>
      </Row>
    </div>
  );
}
