import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function CallsPage() {
  return <Typography.Title level={3}>CallsPage</Typography.Title>;
}
