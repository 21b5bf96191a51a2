import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function CallDetailPage() {
  return <Typography.Title level={3}>CallDetailPage</Typography.Title>;
}
