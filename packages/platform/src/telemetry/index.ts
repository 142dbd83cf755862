/**
 * The OpenTelemetry SDK of one service: traces go over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
 * (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, and nothing is registered otherwise. A service's
 * main imports this before anything else, because the instrumentations must hook http, fastify
 * and the AWS SDK before those load; for the same reason it imports only the parts of
 * @oms/platform that load none of them.
 */
import FastifyOtelInstrumentation from '@fastify/otel';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { z } from 'zod';
import { loadConfig } from '../config';
import { withTimeout } from '../timeout';
import { markTracingOn } from '../tracing';

export interface Tracing {
  /** Exports what is still buffered, giving an unreachable collector 3 s; call before the process exits. */
  stop(): Promise<void>;
}

/**
 * Decides whether a new trace is kept: a request or a message without a trace context starts one
 * (a `ratio` of them), a background call never does: the queue polls, deletes and probes (SQS
 * client calls and receives outside any trace) would otherwise each be a trace of one span, every
 * few seconds. Inside a trace the root's decision holds (parent-based), across both services.
 */
export function rootSampler(ratio: number): Sampler {
  const keep = new TraceIdRatioBasedSampler(ratio);
  return {
    shouldSample: (ctx, traceId, _name, kind, attributes) =>
      kind === SpanKind.CLIENT || attributes['messaging.operation.type'] === 'receive'
        ? { decision: SamplingDecision.NOT_RECORD }
        : keep.shouldSample(ctx, traceId),
    toString: () => `NoBackgroundRoots{${keep.toString()}}`,
  };
}

/** The standard variables read here; the exporter reads the other OTEL_EXPORTER_OTLP_* itself. */
const TracingEnv = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** The fraction of new traces kept. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** ms between exports (the SDK no longer reads this variable itself; tests shorten it). */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(5_000),
});

export function startTracing(serviceName: string, processEnv: NodeJS.ProcessEnv = process.env): Tracing | null {
  const env = loadConfig(TracingEnv, processEnv);
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return null;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    // Tracing every order roughly doubles the order service's CPU per order at full load; a ratio keeps it in bounds.
    sampler: new ParentBasedSampler({ root: rootSampler(env.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [
      new BatchSpanProcessor({
        // The exporter reads its endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables.
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
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
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    ],
  });
  markTracingOn();
  return { stop: () => withTimeout(provider.shutdown(), 3_000).catch(() => undefined) };
}
