import { Alert, Button, Card, DatePicker, Input, InputNumber, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { dryRun, ruleErrorsOf, type CallFilter, type DryRunReport, type DryRunRule, type Evidence, type RuleFileError } from '../../api/rule-sets';
import { formatClock, useFormat, useT } from '../../i18n/i18n';
import { messages } from './messages';

/** Evidence text with the matched characters marked (<mark> elements, never an HTML string). */
function Marked({ text, spans }: Pick<Evidence, 'text' | 'spans'>) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, s.start);
    const end = Math.min(text.length, s.end);
    if (end <= start) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

const callLink = (callId: string, label: string, ms?: number) => (
  <Link to={`/calls/${encodeURIComponent(callId)}${ms === undefined ? '' : `?t=${ms}`}`} data-testid="dry-run-call-link">
    {label}
  </Link>
);

const changed = (r: DryRunRule) => r.removed === true || r.published === null || r.published.newlyHit > 0 || r.published.noLongerHit > 0;

function Examples({ rule }: { rule: DryRunRule }) {
  const t = useT(messages);
  const p = rule.published;
  return (
    <div className="tj-dry-run-examples" data-testid={`dry-run-examples-${rule.ruleId}`}>
      {p && p.newlyHitCallIds.length > 0 && (
        <Typography.Paragraph>
          {t('newlyHitCalls')}{' '}
          <Space size={4} wrap>
            {p.newlyHitCallIds.map((id) => callLink(id, id.slice(0, 8)))}
          </Space>
        </Typography.Paragraph>
      )}
      {p && p.noLongerHitCallIds.length > 0 && (
        <Typography.Paragraph>
          {t('noLongerHitCalls')}{' '}
          <Space size={4} wrap>
            {p.noLongerHitCallIds.map((id) => callLink(id, id.slice(0, 8)))}
          </Space>
        </Typography.Paragraph>
      )}
      {rule.examples.length === 0 ? (
        <Typography.Text type="secondary">{t('noExamples')}</Typography.Text>
      ) : (
        rule.examples.map((x) => (
          <div key={x.callId} className="tj-dry-run-example">
            {callLink(x.callId, x.externalId ?? x.callId, x.evidence[0]?.startMs)}
            {x.evidence.map((e, i) => (
              <blockquote key={i} className="tj-evidence" data-testid="dry-run-evidence">
                <Typography.Text type="secondary">{formatClock(e.startMs)} </Typography.Text>
                <Marked text={e.text} spans={e.spans} />
                {e.label && <Typography.Text type="secondary"> — {e.label}</Typography.Text>}
              </blockquote>
            ))}
          </div>
        ))
      )}
    </div>
  );
}

/**
 * The dry run: the working copy (the whole set) judged on stored calls beside the published
 * version — hit counts and rates per rule, which calls would newly hit or no longer hit, and
 * examples with their evidence. Nothing is stored.
 */
export function DryRunPanel(props: { modules: unknown[] | null; onRuleErrors: (errors: RuleFileError[]) => void }) {
  const t = useT(messages);
  const f = useFormat();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [businessLine, setBusinessLine] = useState('');
  const [agentId, setAgentId] = useState('');
  const [limit, setLimit] = useState(1000);
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<DryRunReport | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async () => {
    if (!props.modules) return;
    abort.current?.abort();
    const ac = new AbortController();
    abort.current = ac;
    const filter: CallFilter = {};
    if (range?.[0]) filter.from = range[0].format('YYYY-MM-DD');
    // The end day is included: the API's `to` is exclusive.
    if (range?.[1]) filter.to = range[1].add(1, 'day').format('YYYY-MM-DD');
    if (businessLine.trim()) filter.businessLine = businessLine.trim();
    if (agentId.trim()) filter.agentId = agentId.trim();
    setRunning(true);
    setError(null);
    try {
      const r = await dryRun(props.modules, { filter, limit }, ac.signal);
      setReport(r);
    } catch (e) {
      if (ac.signal.aborted) return;
      const located = ruleErrorsOf(e);
      if (located) props.onRuleErrors(located);
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      if (!ac.signal.aborted) setRunning(false);
    }
  };

  const rows = report ? (onlyChanged ? report.rules.filter(changed) : report.rules) : [];
  const columns: ColumnsType<DryRunRule> = [
    {
      title: t('colRule'),
      dataIndex: 'ruleId',
      render: (id: string, r) => (
        <span data-testid={`dry-run-row-${id}`}>
          <Typography.Text code>{id}</Typography.Text> {r.ruleName}
          {r.removed && <Tag color="red">{t('removedRule')}</Tag>}
          {r.published === null && !r.removed && <Tag color="blue">{t('newRule')}</Tag>}
        </span>
      ),
    },
    {
      title: t('colHits'),
      dataIndex: 'hitCalls',
      width: 150,
      sorter: (a, b) => a.hitCalls - b.hitCalls,
      render: (n: number, r) => (
        <span data-testid={`dry-run-hits-${r.ruleId}`}>
          {n} <Typography.Text type="secondary">({f.number(r.hitRate * 100)}%)</Typography.Text>
        </span>
      ),
    },
    { title: t('colPublishedHits'), width: 110, render: (_, r) => r.published?.hitCalls ?? '—' },
    {
      title: t('colDelta'),
      width: 80,
      render: (_, r) => {
        const d = r.hitCalls - (r.published?.hitCalls ?? 0);
        return r.published === null ? '—' : <Typography.Text type={d > 0 ? 'danger' : d < 0 ? 'success' : 'secondary'}>{d > 0 ? `+${d}` : d}</Typography.Text>;
      },
    },
    { title: t('colNewlyHit'), width: 90, render: (_, r) => <span data-testid={`dry-run-newly-${r.ruleId}`}>{r.published?.newlyHit ?? '—'}</span> },
    { title: t('colNoLongerHit'), width: 100, render: (_, r) => <span data-testid={`dry-run-nolonger-${r.ruleId}`}>{r.published?.noLongerHit ?? '—'}</span> },
  ];
  const totals = report?.rules.reduce((s, r) => ({ newly: s.newly + (r.published?.newlyHit ?? 0), noLonger: s.noLonger + (r.published?.noLongerHit ?? 0) }), { newly: 0, noLonger: 0 });

  return (
    <div data-testid="dry-run-panel">
      <Card size="small" className="tj-gap-bottom">
        <Space wrap>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} allowEmpty={[true, true]} data-testid="dry-run-range" />
          <Input className="tj-filter-input" placeholder={t('businessLine')} value={businessLine} onChange={(e) => setBusinessLine(e.target.value)} allowClear data-testid="dry-run-business-line" />
          <Input className="tj-filter-input" placeholder={t('agentId')} value={agentId} onChange={(e) => setAgentId(e.target.value)} allowClear data-testid="dry-run-agent" />
          <Space size={4}>
            <Typography.Text>{t('limit')}</Typography.Text>
            <InputNumber min={1} max={100000} value={limit} onChange={(v) => setLimit(v ?? 1000)} data-testid="dry-run-limit" />
          </Space>
          <Button type="primary" onClick={() => void run()} loading={running} disabled={!props.modules} data-testid="dry-run-start">
            {t('runDryRun')}
          </Button>
        </Space>
        {!props.modules && <Alert className="tj-gap-top" type="warning" showIcon title={t('dryRunNeedsYaml')} />}
      </Card>
      {error && <Alert type="error" showIcon className="tj-gap-bottom" title={t('dryRunFailed')} description={<pre className="tj-pre">{error.message}</pre>} data-testid="dry-run-error" />}
      {!report && !running && !error && <Typography.Paragraph type="secondary">{t('dryRunHint')}</Typography.Paragraph>}
      {report && (
        <>
          <Space size="large" wrap className="tj-gap-bottom" data-testid="dry-run-summary">
            <Statistic title={t('callsJudged')} value={report.calls} />
            <Statistic title={t('meanScore')} value={f.number(report.meanScore.candidate)} suffix={<Typography.Text type="secondary">/ {f.number(report.meanScore.published)}</Typography.Text>} />
            <Statistic title={t('newlyHitTotal')} value={totals!.newly} />
            <Statistic title={t('noLongerHitTotal')} value={totals!.noLonger} />
            <Typography.Text type="secondary">{report.publishedVersion === null ? t('nothingPublished') : t('comparedWith', { v: report.publishedVersion })}</Typography.Text>
            <Space size={4}>
              <Switch size="small" checked={onlyChanged} onChange={setOnlyChanged} data-testid="dry-run-only-changed" />
              {t('onlyChanged')}
            </Space>
          </Space>
          <Table<DryRunRule>
            size="small"
            rowKey="ruleId"
            columns={columns}
            dataSource={rows}
            pagination={false}
            loading={running}
            expandable={{ expandedRowRender: (r) => <Examples rule={r} />, rowExpandable: (r) => r.examples.length > 0 || changed(r) }}
            data-testid="dry-run-table"
          />
        </>
      )}
    </div>
  );
}
