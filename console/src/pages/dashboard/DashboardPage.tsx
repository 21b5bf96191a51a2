import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function DashboardPage() {
  return <Typography.Title level={3}>DashboardPage</Typography.Title>;
}
