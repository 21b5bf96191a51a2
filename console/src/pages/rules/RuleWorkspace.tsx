import { PlusOutlined } from '@ant-design/icons';
import { useErrorText } from '../../i18n/error-messages';
import { App, Button, Card, Col, Input, Modal, Row, Segmented, Space, Tabs, Tag, Typography, type ButtonProps } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createVersion, publishVersion, ruleErrorsOf, validateModuleYaml, type RuleFileError, type RuleSetVersion } from '../../api/rule-sets';
import { useSession } from '../../auth/session';
import { useFormat, useT } from '../../i18n/i18n';
import { DryRunPanel } from './DryRunPanel';
import { messages } from './messages';
import { RuleForm, type EditModule } from './RuleForm';
import { rulesOf, str } from './rule-model';
import { editYaml, locate, moduleToYaml, parseModule, parsePath, ruleLine } from './rule-yaml';
import { RuleTable } from './RuleTable';
import { useRuleDraft, type ShownProblem } from './use-rule-draft';
import { YamlEditor, type FocusLine, type PlacedProblem } from './YamlEditor';

/** How long typing pauses before the module is validated on the server. */
const VALIDATE_DELAY_MS = 500;
/** What the server calls a YAML text body in its problems; JSON-located problems are placed under the same name. */
const TEXT_FILE = 'request body';

interface Check {
  /** The text this answer is for. */
  text: string;
  status: 'checking' | 'valid' | 'invalid' | 'error';
  problems: RuleFileError[];
  message?: string;
}

/**
 * One version's rule set as a working copy: a YAML text per module (the truth), the table and the
 * form reading it, the editor showing the selected module with the server's problems in place,
 * the dry run, and saving it as a new draft version / publishing a draft.
 */
export function RuleWorkspace(props: {
  version: RuleSetVersion;
  currentVersion: number | null;
  onDirtyChange: (dirty: boolean) => void;
  onSaved: (version: number) => void;
  onPublished: (version: number) => void;
  onReinspect: (version: number) => void;
}) {
  const t = useT(messages);
  const f = useFormat();
  const { can } = useSession();
  const { modal, message } = App.useApp();
  const errorText = useErrorText();
  const canWrite = can('rules:write');
  const v = props.version;
  const initial = useMemo(() => v.document.modules.map(moduleToYaml), [v.document]);
  const baseRules = useMemo(() => new Map(v.document.modules.flatMap((m) => rulesOf(m).map((r) => [r.fullId, JSON.stringify(r.raw)] as const))), [v.document]);
  const moduleIds = useMemo(() => v.document.modules.map((m) => m.module), [v.document]);
  const [texts, setTexts] = useState(initial);
  const parsed = useMemo(() => texts.map(parseModule), [texts]);
  const [sel, setSel] = useState<{ m: number; r: number | null }>({ m: 0, r: null });
  const [checks, setChecksState] = useState<Record<number, Check>>({});
  const checksRef = useRef(checks);
  const setChecks = (fn: (c: Record<number, Check>) => Record<number, Check>) => {
    checksRef.current = fn(checksRef.current);
    setChecksState(checksRef.current);
  };
  const [focus, setFocus] = useState<FocusLine | null>(null);
  const [scope, setScope] = useState<'module' | 'rule'>('module');
  const [saving, setSaving] = useState<{ open: boolean; note: string; busy: boolean }>({ open: false, note: '', busy: false });
  const dirty = texts.some((x, i) => x !== initial[i]);
  const { onDirtyChange } = props;
  useEffect(() => onDirtyChange(dirty), [dirty, onDirtyChange]);

  const active = texts[sel.m] ?? '';
  const setModuleText = (m: number, text: string) => setTexts((ts) => ts.map((x, i) => (i === m ? text : x)));
  const ruleDraft = useRuleDraft(scope === 'rule', parsed, texts, sel.m, sel.r, setModuleText);
  // Validate the module being edited once typing pauses: the server's answer, located by line.
  useEffect(() => {
    const m = sel.m;
    const known = checksRef.current[m];
    if (known && known.text === active && known.status !== 'error') return;
    setChecks((c) => ({ ...c, [m]: { text: active, status: 'checking', problems: c[m]?.problems ?? [] } }));
    const ac = new AbortController();
    const timer = setTimeout(() => {
      validateModuleYaml(active, ac.signal).then(
        () => setChecks((c) => ({ ...c, [m]: { text: active, status: 'valid', problems: [] } })),
        (e: unknown) => {
          if (ac.signal.aborted) return;
          const problems = ruleErrorsOf(e);
          setChecks((c) => ({ ...c, [m]: problems ? { text: active, status: 'invalid', problems } : { text: active, status: 'error', problems: [], message: (e as Error).message } }));
        },
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ac.abort();
    };
  }, [sel.m, active]);

  const modulesJson = parsed.every((p) => p.value) ? parsed.map((p) => p.value!) : null;

  const editModule: EditModule = (m, edit) => {
    if (!canWrite) return;
    const old = texts[m] ?? '';
    const next = editYaml(old, edit);
    if (next === old) return;
    setTexts((ts) => ts.map((x, i) => (i === m ? next : x)));
    // Show the change in the editor: scroll to the first line the form changed.
    if (m === sel.m && scope === 'module') setFocus({ line: firstChangedLine(old, next), seq: Date.now(), nearest: true });
  };
  const select = (m: number, r: number | null) => {
    setSel({ m, r });
    if (r === null) setScope('module');
    const line = r === null || scope === 'rule' ? 1 : parsed[m] && ruleLine(parsed[m], r);
    if (line) setFocus({ line, seq: Date.now() });
  };

  /** Problems of a JSON body (`modules[i]` + path, no lines) placed in the modules' texts; the first module with one is shown. */
  const placeJsonProblems = (errors: RuleFileError[]) => {
    const byModule = new Map<number, RuleFileError[]>();
    const elsewhere: RuleFileError[] = [];
    for (const e of errors) {
      const i = /^modules\[(\d+)\]$/.exec(e.file)?.[1];
      const p = i === undefined ? undefined : parsed[Number(i)];
      if (!p) elsewhere.push(e);
      else byModule.set(Number(i), [...(byModule.get(Number(i)) ?? []), { ...e, file: TEXT_FILE, ...locate(p, parsePath(e.path)) }]);
    }
    setChecks((c) => {
      const next = { ...c };
      for (const [i, problems] of byModule) next[i] = { text: texts[i]!, status: 'invalid', problems };
      return next;
    });
    const first = [...byModule.keys()].sort((a, b) => a - b)[0];
    if (first !== undefined) {
      setSel({ m: first, r: null });
      setFocus({ line: byModule.get(first)![0]!.line ?? 1, seq: Date.now() });
    }
    if (elsewhere.length) message.error(elsewhere.map((e) => `${e.file} ${e.path}: ${e.message}`).join('\n'));
  };

  const save = async () => {
    if (!modulesJson) return;
    setSaving((s) => ({ ...s, busy: true }));
    try {
      const created = await createVersion(modulesJson, saving.note.trim());
      setSaving({ open: false, note: '', busy: false });
      message.success(t('savedAs', { v: created.version }));
      props.onSaved(created.version);
    } catch (e) {
      setSaving((s) => ({ ...s, busy: false, open: false }));
      const problems = ruleErrorsOf(e);
      if (problems) placeJsonProblems(problems);
      message.error(errorText(e).line);
    }
  };

  const publish = () =>
    modal.confirm({
      title: t('publishTitle', { v: v.version }),
      content: t('publishBody'),
      okText: t('publish'),
      cancelText: t('cancel'),
      okButtonProps: { 'data-testid': 'publish-confirm' } as ButtonProps,
      onOk: async () => {
        try {
          await publishVersion(v.version);
          message.success(t('publishedMessage', { v: v.version }));
          props.onPublished(v.version);
        } catch (e) {
          message.error(errorText(e).line);
        }
      },
    });

  const addRule = () => {
    const m = sel.m;
    const rules = rulesOf(parsed[m]?.value);
    const taken = new Set(rules.map((r) => r.id));
    let n = rules.length + 1;
    while (taken.has(`new-rule-${n}`)) n++;
    editModule(m, (doc) => {
      const keywords = doc.createNode([t('newRuleKeyword')]);
      keywords.flow = true;
      doc.addIn(['rules'], doc.createNode({ id: `new-rule-${n}`, name: t('newRuleName'), when: { keywords, speaker: 'agent' } }));
    });
    setSel({ m, r: rules.length });
  };

  const check = checks[sel.m];
  const shown: ShownProblem[] = ruleDraft
    ? ruleDraft.problems(check?.problems ?? [], TEXT_FILE)
    : (check?.problems ?? []).map((p) => (p.file === TEXT_FILE ? { ...p } : { ...p, line: null, column: null, elsewhere: p.file }));
  const placed: PlacedProblem[] = shown.filter((p) => p.line !== null).map((p) => ({ line: p.line!, column: p.column ?? 1, message: p.path ? `${p.path}: ${p.message}` : p.message }));
  // A rule's text that does not parse is not in the module yet: its own problems are the status.
  const status = ruleDraft && shown.some((p) => p.line !== null && !p.path) && check ? { ...check, status: 'invalid' as const } : check;
  const moduleId = str(parsed[sel.m]?.value?.module) ?? moduleIds[sel.m] ?? t('moduleN', { n: sel.m + 1 });
  const isCurrent = v.version === props.currentVersion;

  const rulesTab = (
    <>
      {canWrite && (
        <div className="tj-toolbar">
          <Button size="small" icon={<PlusOutlined />} onClick={addRule} disabled={!parsed[sel.m]?.value} data-testid="add-rule">
            {t('addRule', { module: moduleId })}
          </Button>
        </div>
      )}
      <RuleTable modules={parsed} moduleIds={moduleIds} baseRules={baseRules} selected={sel} onSelect={select} />
      <Row gutter={16} className="tj-gap-top">
        <Col xs={24} lg={10}>
          <Card size="small" title={t('formTitle')} className="tj-rules-pane">
            {sel.r === null ? (
              <Typography.Paragraph type="secondary">{t('pickRule')}</Typography.Paragraph>
            ) : (
              <RuleForm modules={parsed} moduleIndex={sel.m} ruleIndex={sel.r} disabled={!canWrite} onEdit={editModule} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card
            size="small"
            title={t('yamlTitle', { module: moduleId })}
            extra={
              <Space size={6}>
                <Segmented
                  size="small"
                  value={scope}
                  onChange={(x) => {
                    setScope(x as 'module' | 'rule');
                    const line = x === 'module' && sel.r !== null && parsed[sel.m] ? ruleLine(parsed[sel.m]!, sel.r) : 1;
                    setFocus({ line: line ?? 1, seq: Date.now() });
                  }}
                  options={[
                    { value: 'module', label: t('scopeModule') },
                    { value: 'rule', label: <span data-testid="scope-rule">{t('scopeRule')}</span>, disabled: sel.r === null },
                  ]}
                />
                <CheckTag check={status} problems={shown.length} />
              </Space>
            }
            className="tj-rules-pane"
          >
            <YamlEditor
              value={ruleDraft ? ruleDraft.text : active}
              onChange={(text) => (ruleDraft ? ruleDraft.change(text) : setModuleText(sel.m, text))}
              problems={placed}
              readOnly={!canWrite}
              focusLine={focus}
              label={t('yamlTitle', { module: moduleId })}
            />
            {check?.status === 'error' ? <Typography.Paragraph type="warning">{check.message}</Typography.Paragraph> : <ProblemList problems={shown} onPick={(line) => setFocus({ line, seq: Date.now() })} />}
          </Card>
        </Col>
      </Row>
    </>
  );

  return (
    <div data-testid="rule-workspace" data-version={v.version}>
      <div className="tj-rules-head">
        <Space wrap align="center">
          <Typography.Title level={4} className="tj-no-margin" data-testid="workspace-title">
            {t('versionN', { v: v.version })}
          </Typography.Title>
          {isCurrent ? <Tag color="green">{t('inEffect')}</Tag> : v.status === 'published' ? <Tag>{t('statusPublished')}</Tag> : <Tag color="gold">{t('statusDraft')}</Tag>}
          <Typography.Text type="secondary">
            {v.createdBy ?? '—'} · {f.dateTime(v.createdAt)}
            {v.note ? ` · ${v.note}` : ''}
          </Typography.Text>
          {dirty && (
            <Tag color="orange" data-testid="unsaved">
              {t('unsaved', { v: v.version })}
            </Tag>
          )}
        </Space>
        <Space wrap>
          {canWrite && dirty && (
            <Button
              onClick={() => {
                setTexts(initial);
                setChecks(() => ({}));
              }}
              data-testid="discard"
            >
              {t('discard')}
            </Button>
          )}
          {canWrite && (
            <Button type="primary" disabled={!dirty || !modulesJson} onClick={() => setSaving((s) => ({ ...s, open: true }))} data-testid="save-version">
              {t('saveAsVersion')}
            </Button>
          )}
          {can('rules:publish') && v.status === 'draft' && (
            <Button onClick={publish} disabled={dirty} data-testid="publish-version">
              {t('publish')}
            </Button>
          )}
          {can('reinspect:run') && isCurrent && (
            <Button onClick={() => props.onReinspect(v.version)} data-testid="reinspect-start">
              {t('reinspect')}
            </Button>
          )}
        </Space>
      </div>
      <Tabs
        items={[
          { key: 'rules', label: t('tabRules'), children: rulesTab },
          ...(canWrite ? [{ key: 'test', label: <span data-testid="tab-test">{t('tabTest')}</span>, children: <DryRunPanel modules={modulesJson} onRuleErrors={placeJsonProblems} /> }] : []),
        ]}
      />
      <Modal
        open={saving.open}
        title={t('saveTitle', { v: v.version })}
        okText={t('saveAsVersion')}
        cancelText={t('cancel')}
        confirmLoading={saving.busy}
        onOk={() => void save()}
        onCancel={() => setSaving((s) => ({ ...s, open: false }))}
        okButtonProps={{ 'data-testid': 'save-confirm' } as ButtonProps}
      >
        <Typography.Paragraph type="secondary">{t('saveBody')}</Typography.Paragraph>
        <Input.TextArea value={saving.note} maxLength={2000} rows={3} placeholder={t('notePlaceholder')} onChange={(e) => setSaving((s) => ({ ...s, note: e.target.value }))} data-testid="save-note" />
      </Modal>
    </div>
  );
}

function firstChangedLine(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i).split('\n').length;
}

function CheckTag({ check, problems }: { check: Check | undefined; problems: number }) {
  const t = useT(messages);
  if (!check) return null;
  const [color, text] =
    check.status === 'checking'
      ? ['processing', t('checking')]
      : check.status === 'valid'
        ? ['success', t('valid')]
        : check.status === 'invalid'
          ? ['error', t('problemsN', { n: problems })]
          : ['warning', t('cannotCheck')];
  return (
    <Tag color={color} data-testid="validation-status" data-status={check.status}>
      {text}
    </Tag>
  );
}

/** The problems under the editor: where (line:column and path) and what; a click moves the editor there. */
function ProblemList({ problems, onPick }: { problems: ShownProblem[]; onPick: (line: number) => void }) {
  const t = useT(messages);
  if (!problems.length) return null;
  return (
    <ul className="tj-problems" data-testid="yaml-problems">
      {problems.map((p, i) => (
        <li key={i} data-testid="yaml-problem" data-line={p.line ?? ''}>
          {p.line !== null ? (
            <Button type="link" size="small" className="tj-problem-at" onClick={() => onPick(p.line!)}>
              {t('lineCol', { line: p.line, col: p.column ?? 1 })}
            </Button>
          ) : (
            p.elsewhere && <Typography.Text type="secondary">{p.elsewhere} </Typography.Text>
          )}
          {p.path && <Typography.Text code>{p.path}</Typography.Text>} <Typography.Text type="danger">{p.message}</Typography.Text>
        </li>
      ))}
    </ul>
  );
}
