import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Our own spans, through the OpenTelemetry API only. Until startTracing() registered an SDK
 * (tracing off) every helper here returns at once, without touching the context, so the hot paths
 * pay a function call and nothing else.
 */
const tracer = trace.getTracer('oms');
let tracing = false;
const OFF_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** Called by startTracing() once the SDK is registered. */
export function markTracingOn(): void {
  tracing = true;
}

/** The W3C traceparent of the active span, or null when nothing is being traced. */
export function currentTraceparent(): string | null {
  if (!tracing) return null;
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

export interface SpanOptions {
  kind?: 'internal' | 'client' | 'producer' | 'consumer';
  /** A W3C traceparent from a message or an outbox row: the span joins that trace. */
  parent?: string | null;
  attributes?: Attributes;
}

const KINDS = { internal: SpanKind.INTERNAL, client: SpanKind.CLIENT, producer: SpanKind.PRODUCER, consumer: SpanKind.CONSUMER } as const;

function parentContext(parent: string | null | undefined) {
  return parent === undefined ? context.active() : parent ? propagation.extract(ROOT_CONTEXT, { traceparent: parent }) : ROOT_CONTEXT;
}

/** Starts a span that the caller ends (for spans around batched work). */
export function startSpan(name: string, opts: SpanOptions = {}): Span {
  if (!tracing) return OFF_SPAN;
  return tracer.startSpan(name, { kind: KINDS[opts.kind ?? 'internal'], attributes: opts.attributes }, parentContext(opts.parent));
}

/** Runs fn inside a new active span, ended when fn settles; a throw marks it as an error. */
export function inSpan<T>(name: string, opts: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  if (!tracing) return fn(OFF_SPAN);
  const span = startSpan(name, opts);
  return context.with(trace.setSpan(parentContext(opts.parent), span), async () => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

export function failSpan(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** The traceparent of a span, for a message or a row that continues its trace. */
export function traceparentOf(span: Span): string | null {
  if (!tracing) return null;
  const carrier: { traceparent?: string } = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent ?? null;
}

/** Runs fn with span active (so log lines written inside carry its trace_id). */
export function withSpan<T>(span: Span, fn: () => T): T {
  if (!tracing) return fn();
  return context.with(trace.setSpan(context.active(), span), fn);
}

/**
 * pino mixin: every log line written inside a sampled trace carries its trace and span ids (a
 * span that is not sampled, such as a queue poll, names no trace anyone can look up). A new object
 * each time: pino merges the line's own fields into it.
 */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  if (!tracing) return {};
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !(spanContext.traceFlags & TraceFlags.SAMPLED)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/**
 * Runs fn with tracing suppressed: no span is started inside and nothing is injected into its
 * outgoing calls. For the relay's SendMessageBatch, whose entries carry their own orders' contexts
 * (the AWS SDK instrumentation would stamp one batch span over all of them).
 */
export function withoutTracing<T>(fn: () => T): T {
  if (!tracing) return fn();
  return context.with(suppressTracing(context.active()), fn);
}
