import { Typography } from 'antd';

/** Placeholder until the page is built. */
export default function UploadPage() {
  return <Typography.Title level={3}>UploadPage</Typography.Title>;
}
