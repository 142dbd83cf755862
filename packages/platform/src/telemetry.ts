/**
 * The OpenTelemetry SDK of one service: traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
 * (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, and nothing is registered otherwise. A service's
 * main imports this before anything else, because the instrumentations must hook http, fastify
 * and the AWS SDK before those load; for the same reason nothing else of @oms/platform is imported.
 */
import FastifyOtelInstrumentation from '@fastify/otel';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, SamplingDecision, TracerProvider, type Sampler } from '@opentelemetry/sdk-trace';
import { withTimeout } from './timeout';
import { markTracingOn } from './tracing';

export interface Tracing {
  /** Exports what is still buffered, giving an unreachable collector 3 s; call before the process exits. */
  stop(): Promise<void>;
}

/**
 * A trace starts at a request or a message, never at a background call: the queue polls, deletes
 * and probes (SQS client calls and receives outside any trace) would otherwise each be a trace of
 * one span, every few seconds. Inside a trace every span is kept (parent-based).
 */
const noBackgroundRoots: Sampler = {
  shouldSample: (_ctx, _traceId, _name, kind, attributes) => ({
    decision:
      kind === SpanKind.CLIENT || attributes['messaging.operation.type'] === 'receive'
        ? SamplingDecision.NOT_RECORD
        : SamplingDecision.RECORD_AND_SAMPLED,
  }),
  toString: () => 'NoBackgroundRoots',
};

export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | null {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    sampler: new ParentBasedSampler({ root: noBackgroundRoots }),
    spanProcessors: [
      new BatchSpanProcessor({
        // The exporter reads its endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables.
        exporter: new OTLPTraceExporter(),
        // The SDK no longer reads this standard variable itself; tests shorten the 5 s default.
        scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY) || 5_000,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Outgoing HTTP only inside a trace; the AWS SDK's own HTTP calls are its spans' business.
      new HttpInstrumentation({ requireParentforOutgoingSpans: true }),
      new AwsInstrumentation({ suppressInternalInstrumentation: true }),
      // Built against an older @opentelemetry/instrumentation; the interface is the same.
      new FastifyOtelInstrumentation({ registerOnInitialization: true }) as unknown as Instrumentation,
    ],
  });
  markTracingOn();
  return { stop: () => withTimeout(provider.shutdown(), 3_000).catch(() => undefined) };
}
