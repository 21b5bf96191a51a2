import { Alert, Card, Checkbox, Empty, Form, Input, InputNumber, Select, Space, Switch, Tag, Typography } from 'antd';
import type { Document } from 'yaml';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import { itemsForRule, keywordSpots, rulesOf, type ItemRef, type KeywordSpot } from './rule-model';
import { editable, setField, setList, type ParsedModule, type Path } from './rule-yaml';

export type EditModule = (moduleIndex: number, edit: (doc: Document) => void) => void;

/**
 * One rule in a form: its simple fields, the words of its keyword conditions and the scorecard
 * items that score it. Every change is written into the module's YAML (onEdit), which the editor
 * beside shows at once; what the form cannot say is edited there.
 */
export function RuleForm(props: { modules: ParsedModule[]; moduleIndex: number; ruleIndex: number; disabled: boolean; onEdit: EditModule }) {
  const t = useT(messages);
  const parsed = props.modules[props.moduleIndex];
  if (!parsed?.value) return <Alert type="warning" showIcon title={t('formNeedsYaml')} data-testid="form-needs-yaml" />;
  const rule = rulesOf(parsed.value)[props.ruleIndex];
  if (!rule) return <Empty description={t('pickRule')} />;
  const rp: Path = ['rules', props.ruleIndex];
  const edit = (e: (doc: Document) => void) => props.onEdit(props.moduleIndex, e);
  const set = (field: string, v: unknown) => edit((doc) => setField(doc, [...rp, field], v));
  const spots = keywordSpots(rule.raw, rp);
  const items = itemsForRule(
    props.modules.map((m) => m.value),
    String(parsed.value.module),
    rule.id,
  );
  const d = props.disabled;
  return (
    <Form layout="vertical" size="small" className="tj-rule-form" data-testid="rule-form">
      <Typography.Text type="secondary" data-testid="rule-form-id">
        {rule.fullId}
      </Typography.Text>
      <Form.Item label={t('fieldName')}>
        <Input value={rule.name} disabled={d} onChange={(e) => set('name', e.target.value)} data-testid="rule-name" />
      </Form.Item>
      <Form.Item label={t('fieldDescription')}>
        <Input.TextArea value={rule.description} disabled={d} rows={2} onChange={(e) => set('description', e.target.value)} data-testid="rule-description" />
      </Form.Item>
      <Space wrap size="large">
        <Form.Item label={t('fieldEnabled')}>
          <Switch checked={rule.enabled} disabled={d} onChange={(on) => set('enabled', on ? undefined : false)} data-testid="rule-enabled" />
        </Form.Item>
        <Form.Item label={t('fieldSeverity')}>
          <Select
            className="tj-rule-select"
            value={rule.severity}
            disabled={d}
            onChange={(v) => set('severity', v === 'normal' ? undefined : v)}
            options={[
              { value: 'normal', label: t('severityNormal') },
              { value: 'fatal', label: t('severityFatal') },
            ]}
            data-testid="rule-severity"
          />
        </Form.Item>
        <Form.Item label={t('fieldType')}>
          <Select
            className="tj-rule-select"
            value={rule.type}
            disabled={d}
            onChange={(v) => set('type', v === 'violation' ? undefined : v)}
            options={[
              { value: 'violation', label: t('typeViolation') },
              { value: 'required', label: t('typeRequired') },
            ]}
            data-testid="rule-type"
          />
        </Form.Item>
        {rule.type === 'violation' && (
          <Form.Item label={t('fieldMinHits')}>
            <InputNumber min={1} max={100} value={rule.minHits ?? null} disabled={d} onChange={(v) => set('minHits', v ?? undefined)} data-testid="rule-min-hits" />
          </Form.Item>
        )}
      </Space>
      {spots.map((s, i) => (
        <KeywordCard key={s.where} spot={s} index={i} disabled={d || !editable(parsed.doc, s.listPath)} onEdit={edit} />
      ))}
      {items.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('notScored')}</Typography.Paragraph>
      ) : (
        items.map((item, i) => <ItemCard key={`${item.moduleIndex}:${item.path.join('.')}`} item={item} index={i} disabled={d} onEdit={props.onEdit} />)
      )}
    </Form>
  );
}

function KeywordCard({ spot, index, disabled, onEdit }: { spot: KeywordSpot; index: number; disabled: boolean; onEdit: (e: (doc: Document) => void) => void }) {
  const t = useT(messages);
  const set = (field: string, v: unknown) => onEdit((doc) => setField(doc, [...spot.path, field], v));
  const mode = spot.mode === 'all' ? t('modeAll') : spot.mode === 'atLeast' ? t('modeAtLeast', { n: spot.atLeast ?? 1 }) : t('modeAny');
  return (
    <Card
      size="small"
      className="tj-gap-bottom"
      data-testid={`keyword-card-${index}`}
      title={
        <Space size={4}>
          {t('keywordCondition')}
          <Tag>{spot.where}</Tag>
          <Typography.Text type="secondary">{mode}</Typography.Text>
        </Space>
      }
    >
      <div data-testid={`keywords-${index}`}>
        <Select
          mode="tags"
          className="tj-full-width"
          value={spot.words}
          disabled={disabled}
          tokenSeparators={[',', '，', '、']}
          open={false}
          suffixIcon={null}
          placeholder={t('keywordsPlaceholder')}
          onChange={(words: string[]) => onEdit((doc) => setList(doc, spot.listPath, [...new Set(words.map((w) => w.trim()).filter(Boolean))]))}
          aria-label={t('keywordCondition')}
        />
      </div>
      <Space wrap className="tj-keyword-options">
        <Select
          size="small"
          className="tj-rule-select"
          value={spot.speaker ?? 'any'}
          disabled={disabled}
          onChange={(v) => set('speaker', v)}
          options={[
            { value: 'agent', label: t('speakerAgent') },
            { value: 'customer', label: t('speakerCustomer') },
            { value: 'any', label: t('speakerAny') },
          ]}
        />
        <Checkbox checked={spot.fuzzy} disabled={disabled} onChange={(e) => set('fuzzy', e.target.checked || undefined)}>
          {t('fuzzy')}
        </Checkbox>
        <Checkbox checked={spot.negation} disabled={disabled} onChange={(e) => set('negation', e.target.checked || undefined)}>
          {t('negation')}
        </Checkbox>
      </Space>
      {disabled && <Typography.Paragraph type="secondary">{t('sharedByAnchor')}</Typography.Paragraph>}
    </Card>
  );
}

function ItemCard({ item, index, disabled, onEdit }: { item: ItemRef; index: number; disabled: boolean; onEdit: EditModule }) {
  const t = useT(messages);
  const at = (field: string): Path => [...item.path, field];
  const edit = (e: (doc: Document) => void) => onEdit(item.moduleIndex, e);
  const setPoints = (v: number | null) =>
    edit((doc) => {
      if (v === null) return;
      setField(doc, at('points'), v);
      // A category that states its points must equal the sum of its items: keep it so.
      if (item.categoryPoints !== undefined && item.points !== undefined) setField(doc, [...item.categoryPath, 'points'], item.categoryPoints + v - item.points);
    });
  const setPerHit = (v: number | null) =>
    edit((doc) => {
      if (v === null) setField(doc, at('deduct'), undefined);
      else if (item.perHit === undefined) {
        const node = doc.createNode({ perHit: v });
        node.flow = true;
        doc.setIn(at('deduct'), node);
      } else setField(doc, [...at('deduct'), 'perHit'], v);
    });
  return (
    <Card size="small" className="tj-gap-bottom" data-testid={`item-card-${index}`} title={`${t('scoredBy')} ${item.scorecard} › ${item.category} › ${item.name}`}>
      <Space wrap size="middle">
        <Form.Item label={t('itemPoints')}>
          <InputNumber min={0} max={1000} value={item.points ?? null} disabled={disabled} onChange={setPoints} data-testid={`item-points-${index}`} />
        </Form.Item>
        <Form.Item label={t('itemPerHit')}>
          <InputNumber min={0} max={1000} value={item.perHit ?? null} disabled={disabled} onChange={setPerHit} data-testid={`item-perhit-${index}`} />
        </Form.Item>
        <Form.Item label={t('itemMax')}>
          <InputNumber
            min={0}
            max={1000}
            value={item.max ?? null}
            disabled={disabled || item.perHit === undefined}
            onChange={(v) => edit((doc) => setField(doc, [...at('deduct'), 'max'], v ?? undefined))}
            data-testid={`item-max-${index}`}
          />
        </Form.Item>
        <Form.Item label={t('itemFatal')}>
          <Switch checked={item.fatal} disabled={disabled} onChange={(on) => edit((doc) => setField(doc, at('fatal'), on || undefined))} data-testid={`item-fatal-${index}`} />
        </Form.Item>
      </Space>
    </Card>
  );
}
