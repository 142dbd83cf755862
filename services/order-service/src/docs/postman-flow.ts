/**
 * The order in which the Postman collection calls the API, so that running it top to bottom
 * performs the demo: the admin creates a product, a shopper registers, logs in and places an order,
 * the admin finds it, then every other operation once. Each step names the answer it expects;
 * `save` keeps values from the answer (collection variables) for the steps after it.
 */
export type Caller = 'admin' | 'shopper' | 'public';

export interface FlowStep {
  operationId: string;
  name: string;
  as: Caller;
  expect: number;
  /** Replaces the example body. */
  body?: unknown;
  /** Path variables and query parameters to send (others stay as disabled examples). */
  path?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** collection variable -> JS expression over `body` (the parsed answer). */
  save?: Record<string, string>;
  /** Extra Postman test lines, `body` in scope. */
  checks?: string[];
  /** Pre-request script lines. */
  before?: string[];
}

export interface FlowFolder {
  name: string;
  description: string;
  steps: FlowStep[];
}

/** Streams never end by themselves, so a collection run cannot include them; /admin shows the stream. */
export const NOT_IN_COLLECTION = new Set(['streamOrders']);

const shopperEmail = 'asha-{{runTag}}@example.com';

export const POSTMAN_FLOW: FlowFolder[] = [
  {
    name: 'Demo flow',
    description: 'Admin creates a product; a shopper registers, logs in and orders it; the admin finds the order and looks at the queues.',
    steps: [
      {
        operationId: 'login',
        name: 'Log in as the admin',
        as: 'public',
        expect: 200,
        // A fresh tag per run keeps the shopper and the sku unique when the collection runs again.
        before: ["pm.collectionVariables.set('runTag', Date.now().toString(36));"],
        body: { email: '{{adminEmail}}', password: '{{adminPassword}}' },
        save: { adminToken: 'body.accessToken' },
        checks: ["pm.expect(body.user.role).to.eql('admin');"],
      },
      {
        operationId: 'createProduct',
        name: 'Create a product',
        as: 'admin',
        expect: 201,
        body: { sku: 'KETTLE-{{runTag}}', name: 'Copper kettle', priceCents: 100000, currency: 'INR', stock: 5 },
        save: { productId: 'body.id' },
      },
      {
        operationId: 'register',
        name: 'Register a shopper',
        as: 'public',
        expect: 201,
        body: { username: 'asha_{{runTag}}', email: shopperEmail, password: '{{shopperPassword}}' },
      },
      {
        operationId: 'login',
        name: 'Log in as the shopper',
        as: 'public',
        expect: 200,
        body: { email: shopperEmail, password: '{{shopperPassword}}' },
        save: { shopperToken: 'body.accessToken', shopperRefreshToken: 'body.refreshToken', shopperId: 'body.user.id' },
      },
      {
        operationId: 'placeOrder',
        name: 'Place an order',
        as: 'shopper',
        expect: 201,
        headers: { 'idempotency-key': '{{$guid}}' },
        body: { items: [{ productId: '{{productId}}', quantity: 2 }] },
        save: { orderId: 'body.id' },
        checks: ['pm.expect(body.totalCents).to.eql(236000);'],
      },
      { operationId: 'getOrder', name: 'Read the order', as: 'shopper', expect: 200, path: { id: '{{orderId}}' } },
      {
        operationId: 'searchOrders',
        name: 'Find the order as the admin',
        as: 'admin',
        expect: 200,
        query: { q: 'KETTLE-{{runTag}}' },
        checks: ["pm.expect(body.data.map((o) => o.id)).to.include(pm.collectionVariables.get('orderId'));"],
      },
      { operationId: 'getQueues', name: 'Queue monitor', as: 'admin', expect: 200 },
    ],
  },
  {
    name: 'The rest of the API',
    description: 'Every other operation once, with the ids the demo flow saved.',
    steps: [
      { operationId: 'listProducts', name: 'List products', as: 'public', expect: 200 },
      { operationId: 'getProduct', name: 'Get the product', as: 'public', expect: 200, path: { id: '{{productId}}' } },
      { operationId: 'updateProduct', name: 'Change the product', as: 'admin', expect: 200, path: { id: '{{productId}}' } },
      { operationId: 'listMyOrders', name: "List the shopper's orders", as: 'shopper', expect: 200 },
      {
        operationId: 'setUserTier',
        name: 'Make the shopper a DIAMOND (VIP) customer',
        as: 'admin',
        expect: 200,
        path: { id: '{{shopperId}}' },
      },
      { operationId: 'getStats', name: 'Cache and processing figures', as: 'admin', expect: 200 },
      { operationId: 'listOutbox', name: 'Failed outbox rows', as: 'admin', expect: 200 },
      { operationId: 'requeueOutbox', name: 'Requeue failed outbox rows', as: 'admin', expect: 200 },
      { operationId: 'redriveQueue', name: 'Redrive the orders DLQ', as: 'admin', expect: 200, path: { name: 'orders' } },
      {
        operationId: 'startLoadRun',
        name: 'Start a load run (api mode: counts the orders shoppers place)',
        as: 'admin',
        expect: 202,
        body: { mode: 'api', orders: 1000 },
      },
      { operationId: 'getCurrentLoadRun', name: 'Watch the load run', as: 'admin', expect: 200 },
      { operationId: 'cancelLoadRun', name: 'Cancel the load run', as: 'admin', expect: 200 },
      { operationId: 'listLoadRuns', name: 'Load run history', as: 'admin', expect: 200 },
      { operationId: 'resetLoadRuns', name: 'Reset load runs (deletes generated orders)', as: 'admin', expect: 200 },
      { operationId: 'deleteOrder', name: 'Delete the demo order', as: 'admin', expect: 204, path: { id: '{{orderId}}' } },
      {
        operationId: 'refreshSession',
        name: "Rotate the shopper's refresh token",
        as: 'public',
        expect: 200,
        body: { refreshToken: '{{shopperRefreshToken}}' },
        save: { shopperToken: 'body.accessToken', shopperRefreshToken: 'body.refreshToken' },
      },
      { operationId: 'logout', name: 'Log the shopper out', as: 'public', expect: 204, body: { refreshToken: '{{shopperRefreshToken}}' } },
      {
        operationId: 'changePassword',
        name: "Change the shopper's password (its access token lives on until expiry; every refresh token is revoked)",
        as: 'shopper',
        expect: 204,
        body: { currentPassword: '{{shopperPassword}}', newPassword: 'changed-{{shopperPassword}}' },
      },
      { operationId: 'liveness', name: 'Liveness', as: 'public', expect: 200 },
      { operationId: 'readiness', name: 'Readiness', as: 'public', expect: 200 },
    ],
  },
];
