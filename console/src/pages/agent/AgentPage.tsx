import { Button, Card, Col, Result, Row, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { fetchAgentCalls, fetchAgentPage, type AgentCall, type AgentPageReport } from '../../api/reports';
import { useApi } from '../../api/use-api';
import { Chart } from '../../components/Chart';
import { PageState } from '../../components/PageState';
import { common } from '../../i18n/common-messages';
import { formatClock, useFormat, useT } from '../../i18n/i18n';
import { scoreTrendOption } from '../dashboard/chart-options';
import { messages } from '../dashboard/messages';
import { ChartCard, KpiCards, RangeNotes, ReportFilterBar, useAutoAllTime, useReportView } from '../dashboard/ReportParts';
import { callsLink } from '../dashboard/report-view';

const DEDUCTIONS = 8;
const CALLS = 20;

/**
 * One agent's page (an agent signed in lands on their own): KPIs, the score trend, the rules
 * that cost them most with links to the exact moments (/calls/<id>?t=<ms>), and their latest
 * calls. An agent the user may not see reads as not found, as the API answers.
 */
export default function AgentPage() {
  const { agentId = '' } = useParams();
  const t = useT(messages);
  const tc = useT(common);
  const fmt = useFormat();
  const navigate = useNavigate();
  const { view, filters: all, setView } = useReportView();
  // The page is the agent: the dashboard's agent/team/business line filters do not apply.
  const filters = useMemo(() => ({ from: all.from, to: all.to, granularity: all.granularity }), [all.from, all.to, all.granularity]);
  const page = useApi((s) => fetchAgentPage(agentId, filters, DEDUCTIONS, s), [agentId, filters]);
  const calls = useApi((s) => fetchAgentCalls(agentId, CALLS, s), [agentId]);
  const { autoAll, clear } = useAutoAllTime(view, setView, page.data?.calls, page.loading);
  const trend = useMemo(() => page.data && scoreTrendOption(page.data, view.granularity, t), [page.data, view.granularity, t]);

  if (page.error instanceof ApiError && page.error.status === 404) {
    return (
      <Result
        status="404"
        title={tc('notFound')}
        subTitle={t('agentNotFound')}
        extra={
          <Button type="primary" onClick={() => navigate('/')}>
            {tc('backHome')}
          </Button>
        }
        data-testid="agent-not-found"
      />
    );
  }

  const statusLabel = { processing: t('statusProcessing'), done: t('statusDone'), failed: t('statusFailed') } as const;
  const callColumns = [
    {
      title: t('time'),
      key: 'time',
      render: (_: unknown, c: AgentCall) => (
        <Link to={`/calls/${encodeURIComponent(c.id)}`} data-testid="agent-call-link">
          {fmt.dateTime(c.startedAt ?? c.createdAt)}
        </Link>
      ),
    },
    { title: t('businessLine'), dataIndex: 'businessLine', render: (v: string | null) => v ?? '—' },
    { title: t('duration'), dataIndex: 'durationMs', align: 'right' as const, render: (v: number | null) => fmt.duration(v) },
    { title: t('score'), key: 'score', align: 'right' as const, render: (_: unknown, c: AgentCall) => fmt.number(c.inspection?.scorePercent) },
    {
      title: t('band'),
      key: 'band',
      render: (_: unknown, c: AgentCall) => (
        <>
          {c.inspection?.band ?? '—'}
          {c.inspection?.fatal && (
            <Tag color="red" className="tj-dash-tag">
              {t('fatal')}
            </Tag>
          )}
        </>
      ),
    },
    { title: t('status'), dataIndex: 'status', render: (s: AgentCall['status']) => statusLabel[s] },
  ];

  return (
    <div data-testid="agent-page">
      <div className="tj-dash-head">
        <Typography.Title level={3} className="tj-dash-title" data-testid="agent-title">
          {t('agentTitle', { id: agentId })}
        </Typography.Title>
        {page.data?.teamId && <Tag>{t('agentTeam', { team: page.data.teamId })}</Tag>}
      </div>
      <ReportFilterBar
        view={view}
        onChange={(v) => {
          clear();
          setView(v);
        }}
      />
      <RangeNotes view={view} autoAll={autoAll} calls={page.data?.calls} onAllTime={() => setView({ ...view, range: 'all', fromDay: undefined, toDay: undefined })} />
      {page.error ? (
        <PageState loading={false} error={page.error} onRetry={page.reload} />
      ) : (
        <>
          <KpiCards kpis={page.data} prefix="agent-kpi" onOpen={(k) => navigate(callsLink({ ...filters, agentId }, k === 'fatal' ? { fatal: true } : {}))} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <ChartCard title={t('scoreTrend')} testId="agent-score-trend" state={page} empty={(p) => p.calls === 0}>
                {(p) => <Chart option={trend!} onClick={(c) => navigate(callsLink({ ...filters, agentId }, { bucket: p.buckets[c.dataIndex] }))} testId="agent-trend-canvas" label={t('scoreTrend')} />}
              </ChartCard>
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('deductions')} testId="agent-deductions" state={page} empty={(p) => p.deductions.length === 0}>
                {(p) => <Deductions deductions={p.deductions} agentId={agentId} filters={filters} />}
              </ChartCard>
            </Col>
            <Col xs={24}>
              <Card
                size="small"
                title={t('agentCalls')}
                extra={
                  <Link to={callsLink({ agentId })} data-testid="agent-all-calls">
                    {t('allCalls')}
                  </Link>
                }
                data-testid="agent-calls"
              >
                <PageState loading={calls.loading && !calls.data} error={calls.error} empty={calls.data?.items.length === 0} emptyText={t('noCalls')} onRetry={calls.reload}>
                  <Table<AgentCall> size="small" rowKey="id" columns={callColumns} dataSource={calls.data?.items ?? []} pagination={false} />
                </PageState>
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}

/** The rules that hit in most of the agent's calls, each with its latest moments as links into the calls. */
function Deductions(props: { deductions: AgentPageReport['deductions']; agentId: string; filters: { from?: string | undefined; to?: string | undefined } }) {
  const t = useT(messages);
  const fmt = useFormat();
  return (
    <div className="tj-deductions">
      {props.deductions.map((d) => (
        <div key={d.ruleId} className="tj-deduction" data-testid="deduction">
          <div>
            <Link to={callsLink({ ...props.filters, agentId: props.agentId }, { rule: d.ruleId })} data-testid="deduction-rule">
              <Typography.Text strong>{d.ruleName}</Typography.Text>
            </Link>{' '}
            <Typography.Text type="secondary">{t('deductionCalls', { calls: d.calls, hits: d.hits })}</Typography.Text>
          </div>
          <ul className="tj-moments">
            {d.moments.map((m) => (
              <li key={`${m.callId}-${m.startMs}`} className="tj-moment">
                <Link to={`/calls/${encodeURIComponent(m.callId)}?t=${m.startMs}`} className="tj-moment-time" data-testid="moment-link" data-call-id={m.callId}>
                  {fmt.dateTime(m.at).slice(0, 10)} · {formatClock(m.startMs)}
                </Link>
                <span className="tj-moment-quote" title={m.quote}>
                  {m.quote}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
