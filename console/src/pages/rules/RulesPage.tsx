import { Alert, App, Button, Result, Typography } from 'antd';
import { useErrorText } from '../../i18n/error-messages';
import { useState } from 'react';
import { useApi } from '../../api/use-api';
import { fetchVersion, listVersions, startReinspection, type ReinspectionJob } from '../../api/rule-sets';
import { useSession } from '../../auth/session';
import { PageState } from '../../components/PageState';
import { common } from '../../i18n/common-messages';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';
import { ReinspectPanel } from './ReinspectPanel';
import { RuleWorkspace } from './RuleWorkspace';
import { VersionList } from './VersionList';
import './rules.css';

/**
 * /rules: rule set versions on the left; the selected one's modules and rules, edited in a form
 * and as YAML (validated on the server as you type), dry-run on stored calls, saved as a new draft,
 * published, and stored calls re-inspected with it (docs/rules.md, README "Rules and scorecards").
 */
export default function RulesPage() {
  const t = useT(messages);
  const errorText = useErrorText();
  const tc = useT(common);
  const { can } = useSession();
  const { modal, message } = App.useApp();
  // Without rules:read the page says so and asks nothing (a 403 would be audited as a denied attempt).
  const mayRead = can('rules:read');
  const versions = useApi((s) => (mayRead ? listVersions(s) : Promise.resolve(undefined)), [mayRead]);
  const items = versions.data?.items ?? [];
  // The newest published version is the one new calls are judged with.
  const current = items.find((x) => x.status === 'published')?.version ?? null;
  const [picked, setPicked] = useState<number | null>(null);
  const selected = picked ?? current ?? items[0]?.version ?? null;
  const version = useApi((s) => (selected === null ? Promise.resolve(null) : fetchVersion(selected, s)), [selected]);
  const [dirty, setDirty] = useState(false);
  const [offer, setOffer] = useState<number | null>(null);
  const [job, setJob] = useState<ReinspectionJob | null>(null);

  if (!mayRead) return <Result status="403" title={tc('forbidden')} data-testid="rules-forbidden" />;

  const pick = (n: number) => {
    if (n === selected) return;
    if (!dirty) return setPicked(n);
    modal.confirm({
      title: t('discardTitle'),
      content: t('discardBody'),
      okText: t('discard'),
      cancelText: t('cancel'),
      onOk: () => {
        setDirty(false);
        setPicked(n);
      },
    });
  };
  const reinspect = async (n: number) => {
    try {
      setJob(await startReinspection(n));
      setOffer(null);
    } catch (e) {
      message.error(errorText(e).line);
    }
  };

  return (
    <div className="tj-rules" data-testid="rules-page">
      <aside className="tj-rules-side">
        <Typography.Title level={5}>{t('versions')}</Typography.Title>
        <PageState loading={versions.loading && !versions.data} error={versions.error} empty={items.length === 0} emptyText={t('noVersions')} onRetry={versions.reload}>
          <VersionList items={items} current={current} selected={selected} onSelect={pick} />
        </PageState>
      </aside>
      <section className="tj-rules-main">
        {offer !== null && can('reinspect:run') && (
          <Alert
            type="success"
            showIcon
            closable
            className="tj-gap-bottom"
            data-testid="reinspect-offer"
            title={t('offerTitle', { v: offer })}
            description={t('offerBody')}
            onClose={() => setOffer(null)}
            action={
              <Button type="primary" onClick={() => void reinspect(offer)} data-testid="reinspect-offer-start">
                {t('reinspect')}
              </Button>
            }
          />
        )}
        {job && <ReinspectPanel key={job.id} job={job} onClose={() => setJob(null)} />}
        <PageState loading={version.loading} error={version.error} empty={selected === null} emptyText={t('noVersions')} onRetry={version.reload}>
          {version.data && (
            <RuleWorkspace
              key={version.data.version}
              version={version.data}
              currentVersion={current}
              onDirtyChange={setDirty}
              onSaved={(n) => {
                setDirty(false);
                setPicked(n);
                versions.reload();
              }}
              onPublished={(n) => {
                setOffer(n);
                versions.reload();
                version.reload();
              }}
              onReinspect={(n) => void reinspect(n)}
            />
          )}
        </PageState>
      </section>
    </div>
  );
}
