import { Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes } from 'react';
import { useT } from '../../i18n/i18n';
import { describeCondition } from './describe-condition';
import { messages } from './messages';
import { deductionOf, itemsForRule, rulesOf, str } from './rule-model';
import type { ParsedModule } from './rule-yaml';

interface Row {
  key: string;
  m: number;
  r: number | null;
  id: string;
  name: string;
  type?: 'violation' | 'required';
  severity?: 'normal' | 'fatal';
  enabled?: boolean;
  deduction?: string;
  condition?: string;
  modified?: boolean;
  broken?: boolean;
  children?: Row[];
}

/**
 * The modules of the working copy and their rules as a tree: id, name, kind, severity, what the
 * scorecards take off, enabled, the condition in short. A rule changed from the base version is
 * marked; clicking a row picks it for the form and the editor.
 */
export function RuleTable(props: {
  modules: ParsedModule[];
  /** The modules' ids in the base version: a module whose YAML does not parse is still named. */
  moduleIds: ReadonlyArray<string>;
  /** `<module>.<rule>` → the rule as JSON in the version the working copy started from. */
  baseRules: ReadonlyMap<string, string>;
  selected: { m: number; r: number | null };
  onSelect: (m: number, r: number | null) => void;
}) {
  const t = useT(messages);
  const values = props.modules.map((p) => p.value);
  const words = { fatal: t('fatalItem'), perHit: (n: number, max?: number) => (max === undefined ? t('perHit', { n }) : t('perHitMax', { n, max })), points: (n: number) => t('points', { n }) };
  const rows: Row[] = props.modules.map((p, m) => {
    const moduleId = str(p.value?.module) ?? '';
    if (!p.value) return { key: `m${m}`, m, r: null, id: props.moduleIds[m] ?? t('moduleN', { n: m + 1 }), name: '', broken: true };
    return {
      key: `m${m}`,
      m,
      r: null,
      id: moduleId,
      name: str(p.value.name) ?? '',
      children: rulesOf(p.value).map((rule, r) => ({
        key: `m${m}r${r}`,
        m,
        r,
        id: rule.fullId,
        name: rule.name,
        type: rule.type,
        severity: rule.severity,
        enabled: rule.enabled,
        deduction: deductionOf(itemsForRule(values, moduleId, rule.id), words),
        condition: describeCondition(rule.when, t),
        modified: props.baseRules.get(rule.fullId) !== JSON.stringify(rule.raw),
      })),
    };
  });
  const columns: ColumnsType<Row> = [
    {
      title: t('colId'),
      dataIndex: 'id',
      width: 300,
      render: (id: string, row) => (
        <span data-testid={row.r === null ? `module-row-${id}` : `rule-row-${id}`}>
          <Typography.Text strong={row.r === null} code={row.r !== null}>
            {id}
          </Typography.Text>
          {row.modified && (
            <Tag color="orange" className="tj-tag-gap" data-testid="rule-modified">
              {t('modified')}
            </Tag>
          )}
          {row.broken && <Tag color="red">{t('yamlBroken')}</Tag>}
        </span>
      ),
    },
    { title: t('colName'), dataIndex: 'name', width: 160 },
    {
      title: t('colType'),
      dataIndex: 'type',
      width: 110,
      render: (v: Row['type'], row) =>
        row.r === null ? null : (
          <>
            <Tag color={v === 'required' ? 'blue' : 'default'}>{v === 'required' ? t('typeRequired') : t('typeViolation')}</Tag>
            {row.severity === 'fatal' && <Tag color="red">{t('severityFatal')}</Tag>}
          </>
        ),
    },
    { title: t('colDeduction'), dataIndex: 'deduction', width: 130, render: (v?: string) => <span data-testid="rule-deduction">{v}</span> },
    {
      title: t('colEnabled'),
      dataIndex: 'enabled',
      width: 70,
      render: (v: boolean | undefined, row) => (row.r === null ? null : v ? <Tag color="green">{t('on')}</Tag> : <Tag>{t('off')}</Tag>),
    },
    {
      title: t('colCondition'),
      dataIndex: 'condition',
      ellipsis: { showTitle: false },
      render: (v?: string) => (
        <Tooltip title={v} placement="topLeft">
          <span>{v}</span>
        </Tooltip>
      ),
    },
  ];
  return (
    <Table<Row>
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ y: 260, x: 960 }}
      expandable={{ defaultExpandAllRows: true }}
      rowClassName={(row) => (row.m === props.selected.m && row.r === props.selected.r ? 'tj-row-selected' : '')}
      onRow={(row) => ({ onClick: () => props.onSelect(row.m, row.r) }) as HTMLAttributes<HTMLElement>}
      className="tj-rules-table"
      data-testid="rule-table"
    />
  );
}
