/**
 * The tracing bench's OTLP receiver, in a process of its own (started by `fork`): decoding the
 * exported protobuf is the collector's work, not the lab's, so it must not run in the process whose
 * wall and CPU time the bench measures. It posts `{ url }` when listening, answers
 * `{ spansOf: traceId }` with `{ traceId, count }`, and closes on `'close'`.
 */
import { startOtlpReceiver } from '../../apps/server/test/otlp-receiver.js';

type Ask = { readonly spansOf: string } | 'close';

const send = (message: unknown): void => void process.send?.(message);
const receiver = await startOtlpReceiver();
process.on('message', (message: Ask) => {
  if (message === 'close') {
    void receiver.close().then(() => process.disconnect());
    return;
  }
  const count = receiver.spans.filter((span) => span.traceId === message.spansOf).length;
  send({ traceId: message.spansOf, count, rejected: receiver.rejected.length });
});
send({ url: receiver.url });
