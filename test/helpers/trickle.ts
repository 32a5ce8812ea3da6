import { connect } from 'node:net';

/** Everything the server sent, and whether it closed the connection (false: the client gave up first). */
export interface TrickleAnswer {
  readonly text: string;
  readonly closed: boolean;
}

/**
 * A slow client: opens a socket to `port`, sends `head`, then `piece` every `everyMs` until the server closes
 * the connection or `giveUpMs` passes.
 * @example const { closed } = await trickle(port, head, 'a', 100, 5_000);
 */
export function trickle(
  port: number, head: string, piece: string, everyMs: number, giveUpMs: number, encoding: BufferEncoding = 'utf8',
): Promise<TrickleAnswer> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString(encoding)));
  socket.on('error', () => {});
  socket.write(head);
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(piece);
  }, everyMs);
  return new Promise((resolve) => {
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve({ text, closed: false });
    }, giveUpMs);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearInterval(timer);
      resolve({ text, closed: true });
    });
  });
}
