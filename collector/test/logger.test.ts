import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loggerOptions } from '../src/observability/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino(loggerOptions('info'), stream), lines };
}

describe('structured logs', () => {
  it('redact secrets by configuration, wherever they sit', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer izn_supersecret' } },
        credentials: { apiKey: 'sel-key-1' },
        connection: { password: 'hunter2', token: 'tok-1', apiKey: 'k-2' },
        databaseUrl: 'postgres://u:pw@h/db',
      },
      'request'
    );
    const text = lines.join('');
    for (const secret of ['izn_supersecret', 'sel-key-1', 'hunter2', 'tok-1', 'k-2', 'pw@h']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    assert.match(text, /\[redacted\]/);
    assert.equal(JSON.parse(text).msg, 'request');
  });
});
