import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captureLogger, silentLogger } from '../../../src/adapters/log/silent-logger.ts';

describe('silentLogger', () => {
  it('accepts every call and its children are silent too', () => {
    assert.doesNotThrow(() => {
      silentLogger.error('x', { a: 1 });
      silentLogger.child({ b: 2 }).debug('y');
    });
  });
});

describe('captureLogger', () => {
  it('keeps records in order with merged child fields', () => {
    const { logger, records } = captureLogger();
    logger.info('start');
    const child = logger.child({ planId: 'p-1' });
    child.warn('slow fill', { orderId: 3 });
    child.child({ leg: 'A' }).error('rejected', { planId: 'p-override' });
    assert.deepEqual(records, [
      { level: 'info', msg: 'start', fields: {} },
      { level: 'warn', msg: 'slow fill', fields: { planId: 'p-1', orderId: 3 } },
      { level: 'error', msg: 'rejected', fields: { planId: 'p-override', leg: 'A' } },
    ]);
  });

  it('separate captures do not share records', () => {
    const a = captureLogger();
    const b = captureLogger();
    a.logger.debug('only a');
    assert.equal(a.records.length, 1);
    assert.equal(b.records.length, 0);
  });
});
