import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function AgentPage() {
  return <Typography.Title level={3}>AgentPage</Typography.Title>;
}
