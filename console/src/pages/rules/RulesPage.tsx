import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function RulesPage() {
  return <Typography.Title level={3}>RulesPage</Typography.Title>;
}
