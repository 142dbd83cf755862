/**
 * The composition root: config -> store -> use cases -> HTTP, then the SQS side (relay, status
 * consumer) once the queues exist. main.ts runs it as a process; tests and the API-doc writers
 * build the HTTP part alone with composeHttp.
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { QueueKey } from '@oms/contracts';
import type { NewOutboxMessage, OutboxRelay } from '@oms/outbox';
import { loggerOptions, sqsEndpointLabel } from '@oms/platform';
import { createSqsClient, recreateMissingQueues } from '@oms/platform/sqs';
import { withCatalogCache } from './application/catalog/catalog-cache';
import { ReadCache } from './application/catalog/read-cache';
import { AccessTokens } from './application/identity/access-tokens';
import { seedAdmin } from './application/identity/auth';
import { RelayLag, type QueueAdmin } from './application/operations/queue-monitor';
import { OrderFeed, withFeedNudges } from './application/order-feed/order-feed';
import { configWarnings, type OrderServiceConfig } from './config';
import { createServer, registerApi } from './http/app';
import type { RouteContext } from './http/context';
import { createOrderServiceMetrics, relayPublishObserver, withStoreMetrics, type OrderServiceMetrics } from './infrastructure/metrics';
import { openStore } from './infrastructure/open-store';
import { createOutboxRelay } from './infrastructure/sqs/outbox-relay';
import { ensureOrderServiceQueues, type OrderServiceQueues } from './infrastructure/sqs/queues';
import { createSqsQueueAdmin } from './infrastructure/sqs/sqs-queue-admin';
import { createStatusConsumer, type StatusConsumer } from './infrastructure/sqs/status-consumer';
import { LoadRuns, type LoadRunDeps } from './loadtest/load-runs';
import loadTestApi from './loadtest/plugin';
import type { LoadTestableStore } from './loadtest/ports';
import { purgeOrderQueues, sendInline } from './loadtest/sqs-queues';

/** Hot reads (product list/get) are served from memory for this long unless a write drops them first. */
const READ_CACHE_TTL_MS = 30_000;
const READ_CACHE_MAX_ENTRIES = 10_000;
/** Events read per feed query: a busy second's worth on this kind of machine. */
const FEED_BATCH = 500;

export interface HttpOptions {
  clock?: () => Date;
  /** Relay nudge, called after each committed order. */
  onOrderPlaced?: () => void;
  /** Readiness probe of the queue broker; absent = not checked. */
  queueReady?: () => Promise<void>;
  /** pino options (or false for silence, as in tests). */
  logger?: FastifyServerOptions['logger'];
  /** Queue monitor and DLQ redrive; absent = no broker (the queue list is empty). */
  queueAdmin?: QueueAdmin;
  /** Fed by the outbox relay; default: a tracker nothing feeds. */
  relayLag?: RelayLag;
  /** Sends an event straight to its queue; only for the BENCH_NAIVE_PUBLISH baseline route. */
  publishInline?: (message: NewOutboxMessage) => Promise<void>;
  /** Relay hold and queue purge for load runs; default: nothing to hold or purge. */
  loadRunHooks?: Pick<LoadRunDeps, 'holdRelay' | 'purgeQueues'>;
}

export interface ComposedHttp {
  app: FastifyInstance;
  metrics: OrderServiceMetrics;
  /** This replica's tail of the shared change feed: the SSE streams and load runs read it. The app starts and stops it. */
  orderFeed: OrderFeed;
  /** Present when LOAD_TEST_ENDPOINTS mounts the load-run API. */
  loadRuns: LoadRuns | null;
}

/** The HTTP side: use cases over the decorated store, the production API, and the load-test API when enabled. */
export async function composeHttp(config: OrderServiceConfig, rawStore: LoadTestableStore, opts: HttpOptions = {}): Promise<ComposedHttp> {
  const now = opts.clock ?? (() => new Date());
  const app = createServer(config, opts.logger);
  const cache = new ReadCache({ ttlMs: READ_CACHE_TTL_MS, max: READ_CACHE_MAX_ENTRIES });
  const metrics = createOrderServiceMetrics({ outbox: rawStore, cache: () => cache.stats() });
  const orderFeed = new OrderFeed(rawStore, {
    pollMs: config.ORDER_FEED_POLL_MS,
    batch: FEED_BATCH,
    retentionMs: config.ORDER_EVENTS_RETENTION_HOURS * 3_600_000,
    onError: (err, what) => app.log.error({ err }, what),
  });
  const store = withFeedNudges(withCatalogCache(withStoreMetrics(rawStore, metrics), cache), orderFeed);
  const ctx: RouteContext = {
    config,
    store,
    tokens: new AccessTokens({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSec: config.ACCESS_TOKEN_TTL_SEC,
      now,
    }),
    now,
    onOrderPlaced: opts.onOrderPlaced ?? (() => {}),
    queueReady: opts.queueReady ?? (async () => {}),
    orderFeed,
    queueAdmin: opts.queueAdmin ?? null,
    relayLag: opts.relayLag ?? new RelayLag(),
  };
  await registerApi(app, { ctx, metrics, cache, rateLimitCounters: rawStore });
  const loadRuns = config.LOAD_TEST_ENDPOINTS ? createLoadRuns(store, ctx, app, opts.loadRunHooks) : null;
  const publishInline = config.BENCH_NAIVE_PUBLISH ? (opts.publishInline ?? null) : null;
  // Load testing writes and wipes data at scale: off in production unless LOAD_TEST_ENDPOINTS=true.
  if (loadRuns || publishInline) await app.register(loadTestApi, { ctx, loadRuns, publishInline });
  return { app, metrics, orderFeed, loadRuns };
}

function createLoadRuns(store: LoadTestableStore, ctx: RouteContext, app: FastifyInstance, hooks: HttpOptions['loadRunHooks']): LoadRuns {
  return new LoadRuns({
    store,
    events: ctx.orderFeed,
    taxRateBps: ctx.config.TAX_RATE_BPS,
    now: ctx.now,
    nudgeRelay: ctx.onOrderPlaced,
    holdRelay: hooks?.holdRelay,
    purgeQueues: hooks?.purgeQueues ?? (async () => {}),
    log: app.log,
  });
}

export interface OrderService {
  http: FastifyInstance;
  /** Ensures the queues (waiting for SQS if needed), then starts the outbox relay and the status consumer. */
  start(): Promise<void>;
  /** Stops consuming, lets in-flight requests finish, stops the relay, closes the store and the SQS client. */
  stop(): Promise<void>;
}

/** What start() brings up; the HTTP side reaches it through these slots (empty until SQS is up). */
interface Messaging {
  queues: OrderServiceQueues | null;
  relay: OutboxRelay | null;
  consumer: StatusConsumer | null;
  unwatchOutbox: (() => void) | undefined;
}

export async function createOrderService(config: OrderServiceConfig): Promise<OrderService> {
  const store = await openStore(config);
  const sqs = createSqsClient(config);
  const startup = new AbortController();
  const messaging: Messaging = { queues: null, relay: null, consumer: null, unwatchOutbox: undefined };
  const relayLag = new RelayLag();
  const composed = await composeHttp(config, store, sqsHttpOptions(config, sqs, messaging, relayLag));
  const log = composed.app.log;
  recreateMissingQueues(sqs, () => ensureOrderServiceQueues(sqs, config, log, startup.signal), log.child({ component: 'queues' }));
  for (const warning of configWarnings(config)) log.warn(`DEVELOPMENT DEFAULT: ${warning}`);
  log.info({ store: config.MONGODB_URI ? 'mongodb' : `sqlite ${config.SQLITE_PATH}` }, 'store open');
  log.info(`using SQS at ${sqsEndpointLabel(config)}`);
  await seedAdminAccount(store, config, log);

  async function start(): Promise<void> {
    messaging.queues = await ensureOrderServiceQueues(sqs, config, log, startup.signal);
    startMessaging({ config, store, sqs, messaging, relayLag, composed, queues: messaging.queues });
  }

  async function stop(): Promise<void> {
    startup.abort();
    messaging.unwatchOutbox?.();
    await messaging.consumer?.stop();
    await composed.app.close(); // lets in-flight requests finish
    await messaging.relay?.stop();
    await store.close();
    sqs.destroy();
  }

  return { http: composed.app, start, stop };
}

/** The HTTP side's links to SQS: relay nudges, readiness, the queue monitor, the load-test hooks. */
function sqsHttpOptions(config: OrderServiceConfig, sqs: SQSClient, messaging: Messaging, relayLag: RelayLag): HttpOptions {
  const queueNames = [config.QUEUE_ORDERS, config.QUEUE_ORDERS_PRIORITY, config.QUEUE_ORDER_STATUS];
  return {
    logger: loggerOptions('order-service', config.LOG_LEVEL),
    onOrderPlaced: () => messaging.relay?.nudge(),
    relayLag,
    publishInline: (message) => sendInline(sqs, messaging.queues, message),
    queueAdmin: createSqsQueueAdmin(sqs, queueNames, () => (messaging.queues ? Object.values(messaging.queues) : null)),
    queueReady: async () => {
      if (!messaging.queues) throw new Error('queues not set up yet');
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: messaging.queues[QueueKey.orderStatus].url, AttributeNames: ['QueueArn'] }));
    },
    loadRunHooks: {
      holdRelay: async () => {
        const held = messaging.relay;
        await held?.stop();
        return () => held?.start();
      },
      purgeQueues: () => purgeOrderQueues(sqs, messaging.queues),
    },
  };
}

async function seedAdminAccount(store: LoadTestableStore, config: OrderServiceConfig, log: FastifyInstance['log']): Promise<void> {
  const seeded = await seedAdmin({ store, now: () => new Date() }, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
  if (seeded === 'created') log.info({ email: config.ADMIN_EMAIL }, 'admin account created');
  if (seeded === 'password-updated')
    log.warn({ email: config.ADMIN_EMAIL }, 'admin password changed to ADMIN_PASSWORD; its sessions were revoked');
}

function startMessaging(deps: {
  config: OrderServiceConfig;
  store: LoadTestableStore;
  sqs: SQSClient;
  messaging: Messaging;
  relayLag: RelayLag;
  composed: ComposedHttp;
  queues: OrderServiceQueues;
}): void {
  const { store, sqs, messaging, composed, queues } = deps;
  const log = composed.app.log;
  const observePublished = relayPublishObserver(composed.metrics);
  const relay = createOutboxRelay({
    store,
    sqs,
    queues,
    settings: deps.config,
    log: log.child({ component: 'outbox-relay' }),
    onPublished: (count, ages) => {
      observePublished(count, ages);
      deps.relayLag.record(ages);
    },
  });
  const consumer = createStatusConsumer({
    sqs,
    queueUrl: queues[QueueKey.orderStatus].url,
    store: withFeedNudges(withStoreMetrics(store, composed.metrics), composed.orderFeed),
    log: log.child({ component: 'order-status-consumer' }),
    onApplied: (applied) => composed.loadRuns?.observeStatus(applied),
  });
  messaging.relay = relay;
  messaging.consumer = consumer;
  relay.start();
  consumer.start();
  // Stores that can push (MongoDB change streams) wake the relay at once; the cron stays the guarantee.
  messaging.unwatchOutbox = store.watchOutbox?.(
    () => relay.nudge(),
    (err) => log.warn({ err }, 'outbox watch failed; reopening it soon, the cron tick covers the gap'),
  );
  log.info('outbox relay and order-status consumer running');
}
