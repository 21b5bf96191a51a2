import { Table } from 'antd';
import type { TablePaginationConfig } from 'antd';
import type { SorterResult } from 'antd/es/table/interface';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import type { CallListItem, CallListPage, CallSort } from '../../api/call-list';
import { useSession } from '../../auth/session';
import { useFormat, useT } from '../../i18n/i18n';
import { stageMessages } from '../upload/stage-messages';
import { BULK_PERMISSIONS } from './bulk/BulkActions';
import { callColumns } from './call-columns';
import { messages } from './messages';
import { PAGE_SIZES, type ListView } from './url-filters';

/** Clicks on these inside a row do their own thing instead of opening the call. */
const OWN_CLICK = 'a, button, input, label, .ant-checkbox-wrapper, .ant-table-selection-column';

/** The calls table: server-side sort and paging, row selection, a click on a row opens the call. */
export function CallsTable(props: {
  view: ListView;
  page: CallListPage;
  loading: boolean;
  selectedIds: string[];
  onSelect: (ids: string[], rows: CallListItem[]) => void;
  onView: (change: Partial<Pick<ListView, 'sort' | 'order' | 'page' | 'pageSize'>>) => void;
}) {
  const { view, page } = props;
  const t = useT(messages);
  const stage = useT(stageMessages);
  const fmt = useFormat();
  const navigate = useNavigate();
  // Checkboxes only for someone with an action to take on the selected rows (not an agent).
  const { can } = useSession();
  const selectable = BULK_PERMISSIONS.some((p) => can(p));
  const columns = useMemo(
    () => callColumns({ t, fmt, sort: { sort: view.sort, order: view.order }, stageName: (s) => stage(s as keyof (typeof stageMessages)['zh-CN']) }),
    [t, fmt, stage, view.sort, view.order],
  );
  const onChange = (p: TablePaginationConfig, _f: unknown, sorter: SorterResult<CallListItem> | SorterResult<CallListItem>[]) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const sort = s?.order ? ((s.columnKey as CallSort) ?? 'startedAt') : 'startedAt';
    const order = s?.order === 'ascend' ? 'asc' : 'desc';
    const pageSize = p.pageSize ?? view.pageSize;
    const sortChanged = sort !== view.sort || order !== view.order;
    props.onView({ sort, order, pageSize, page: sortChanged || pageSize !== view.pageSize ? 1 : (p.current ?? 1) });
  };
  return (
    <Table<CallListItem>
      data-testid="calls-table"
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={page.items}
      loading={props.loading}
      onChange={onChange}
      scroll={{ x: 1060 }}
      sticky
      rowClassName={() => 'tj-clickable-row'}
      rowSelection={selectable ? { selectedRowKeys: props.selectedIds, onChange: (keys, rows) => props.onSelect(keys as string[], rows), fixed: true, preserveSelectedRowKeys: true } : undefined}
      onRow={(call) => ({
        onClick: (e) => {
          if ((e.target as HTMLElement).closest(OWN_CLICK)) return;
          navigate(`/calls/${encodeURIComponent(call.id)}`);
        },
      })}
      pagination={{
        current: view.page,
        pageSize: view.pageSize,
        total: page.total,
        showSizeChanger: true,
        pageSizeOptions: PAGE_SIZES.map(String),
        showTotal: (total) => <span data-testid="calls-total">{t('totalCalls', { total })}</span>,
      }}
    />
  );
}
