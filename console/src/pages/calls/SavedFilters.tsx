import { DeleteOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons';
import { useErrorText } from '../../i18n/error-messages';
import { App, Button, Empty, Input, Modal, Popconfirm, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { deleteSavedFilter, listSavedFilters, saveFilter, type SavedFilter } from '../../api/saved-filters';
import { useT } from '../../i18n/i18n';
import { messages } from './messages';

const PAGE = 'calls';

/**
 * Named filters of the calls page (GET/POST/DELETE /api/v1/saved-filters, page=calls): the list
 * loads when the popover first opens; applying one replaces the query string.
 */
export function SavedFilters({ current, onApply }: { current: Record<string, string>; onApply: (query: Record<string, string>) => void }) {
  const t = useT(messages);
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<SavedFilter[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [modal, setModal] = useState(false);

  const load = () => {
    setError(undefined);
    listSavedFilters(PAGE).then(
      (r) => setItems(r.items),
      (e: unknown) => setError(errorText(e).line),
    );
  };
  const save = async () => {
    if (!name.trim()) return setNameError(t('saveNameRequired'));
    setSaving(true);
    try {
      const f = await saveFilter({ name: name.trim(), page: PAGE, query: current });
      setItems((xs) => (xs ? [...xs.filter((x) => x.id !== f.id), f] : xs));
      void message.success(t('saved', { name: f.name }));
      setModal(false);
      setName('');
    } catch (e) {
      setNameError((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  const remove = async (f: SavedFilter) => {
    try {
      await deleteSavedFilter(f.id);
      setItems((xs) => xs?.filter((x) => x.id !== f.id));
      void message.success(t('deleted', { name: f.name }));
    } catch (e) {
      void message.error(errorText(e).line);
    }
  };

  const content = (
    <div className="tj-saved-filters" data-testid="saved-filters-list">
      {error ? (
        <Typography.Text type="danger">{error}</Typography.Text>
      ) : !items ? (
        <Spin size="small" />
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noSaved')} />
      ) : (
        <ul className="tj-saved-list">
          {items.map((f) => (
            <li key={f.id} data-testid="saved-filter">
              <Button
                type="link"
                className="tj-saved-apply"
                onClick={() => {
                  setOpen(false);
                  onApply(f.query);
                }}
                data-testid="saved-filter-apply"
              >
                {f.name}
              </Button>
              <Popconfirm title={t('deleteConfirm', { name: f.name })} onConfirm={() => remove(f)} okText={t('delete')}>
                <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('delete')} data-testid="saved-filter-delete" />
              </Popconfirm>
            </li>
          ))}
        </ul>
      )}
      <Button
        block
        icon={<SaveOutlined />}
        onClick={() => {
          setOpen(false);
          setNameError(undefined);
          setModal(true);
        }}
        data-testid="saved-filter-save"
      >
        {t('saveCurrent')}
      </Button>
    </div>
  );
  return (
    <>
      <Popover
        trigger="click"
        placement="bottomRight"
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (o && !items) load();
        }}
        content={content}
      >
        <Button icon={<StarOutlined />} data-testid="saved-filters">
          {t('savedFilters')}
        </Button>
      </Popover>
      <Modal title={t('saveTitle')} open={modal} onOk={save} confirmLoading={saving} onCancel={() => setModal(false)} okButtonProps={{ 'data-testid': 'saved-filter-confirm' }} destroyOnHidden>
        <Input
          placeholder={t('saveName')}
          value={name}
          maxLength={60}
          onChange={(e) => {
            setName(e.target.value);
            setNameError(undefined);
          }}
          onPressEnter={() => void save()}
          status={nameError ? 'error' : undefined}
          data-testid="saved-filter-name"
          autoFocus
        />
        {nameError && <Typography.Text type="danger">{nameError}</Typography.Text>}
      </Modal>
    </>
  );
}
