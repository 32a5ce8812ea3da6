/** 订单: this screen is being built (issue 15); until then the API, the CLI and the docs do its work. */
import { Result } from 'antd';

export default function Orders() {
  return <Result status="info" title="订单" subTitle="此页面正在建设中，请先通过 API 或命令行操作。" />;
}
