import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { rootSampler, startTracing } from '../src/telemetry';
import { currentTraceparent, inSpan, startSpan, traceLogFields, traceparentOf } from '../src/tracing';

// Tracing on is tested end to end (packages/system-tests/test/tracing.test.ts): real processes exporting over OTLP.
describe('tracing without an OTLP endpoint', () => {
  it('registers nothing', () => {
    expect(startTracing('test-service', { OTEL_SERVICE_NAME: 'x' })).toBeNull();
  });

  it('leaves rows and messages without a trace context and log lines without trace fields', async () => {
    expect(await inSpan('order commit', {}, async () => currentTraceparent())).toBeNull();
    expect(traceparentOf(startSpan('publish orders', { parent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }))).toBeNull();
    const fields = traceLogFields();
    expect(fields).toEqual({});
    // pino merges each line's fields into the mixin's object: it must not be shared between lines.
    expect(traceLogFields()).not.toBe(fields);
  });

  it('passes results and errors of the work through', async () => {
    expect(await inSpan('work', {}, async () => 42)).toBe(42);
    await expect(inSpan('work', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});

describe('which new traces are kept', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const decide = (ratio: number, kind: SpanKind, attributes = {}) =>
    rootSampler(ratio).shouldSample(ROOT_CONTEXT, traceId, 'span', kind, attributes, []).decision;

  it('keeps requests and messages, and the configured fraction of them', () => {
    expect(decide(1, SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(1, SpanKind.CONSUMER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(0, SpanKind.SERVER)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('never starts a trace at a background client call or queue receive', () => {
    expect(decide(1, SpanKind.CLIENT)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(1, SpanKind.CONSUMER, { 'messaging.operation.type': 'receive' })).toBe(SamplingDecision.NOT_RECORD);
  });
});
