/** An upstream that answers with what it received, standing in for the collector behind the proxies. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Echoed {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EchoServer {
  url: string;
  received: Echoed[];
  close(): Promise<void>;
}

/** Paths containing `/unauthorized` answer 401, as the collector does for a bad token. */
export async function startEcho(): Promise<EchoServer> {
  const received: Echoed[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const echoed = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(echoed);
      const status = echoed.url.includes('/unauthorized') ? 401 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
      res.end(JSON.stringify(status === 401 ? { error: 'unauthorized', message: 'bad token' } : echoed));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
