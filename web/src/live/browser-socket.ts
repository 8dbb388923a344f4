import type { LiveSocket, SocketHandlers } from './live-connection.js';

/** Opens a real browser WebSocket and adapts it to {@link LiveSocket}. */
export function browserSocketFactory(url: string, handlers: SocketHandlers): LiveSocket {
  const ws = new WebSocket(url);
  let closed = false;
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev: MessageEvent) => {
    if (typeof ev.data === 'string') handlers.onMessage(ev.data);
  };
  // An error is always followed by close; report once.
  ws.onclose = (ev: CloseEvent) => {
    if (closed) return;
    closed = true;
    handlers.onClose(ev.code);
  };
  return {
    send: (text) => ws.send(text),
    close: () => {
      closed = true;
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
      ws.close();
    },
  };
}
