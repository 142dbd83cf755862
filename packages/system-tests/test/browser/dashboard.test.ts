/**
 * The admin dashboard in a real browser against the real stack: an admin logs in on /admin, a
 * shopper places an order over the API, and the page's table shows it PENDING and then PROCESSED
 * live from the SSE stream (no reload, no REST re-fetch), with no console errors. Then the load-run
 * panel runs a bulk load to the end (progress, windows, history, the throughput chart), cancels
 * an api run and resets; the screenshot is taken with all of it on screen.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, type Stack } from '@oms/dev-stack';
import { apiClient, startSuiteStack, type Api, type SuiteStack } from '../../src';
import { launchChromium, type Chromium } from './chromium';

jest.setTimeout(180_000);

const ADMIN = { email: 'dash-admin@oms.test', password: 'Dash-admin-password-1' };
const SCREENSHOT = path.join(REPO_ROOT, 'artifacts/dashboard.png');

let suite: SuiteStack | undefined;
let stack: Stack | undefined;
let browser: Chromium | undefined;
let api: Api;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  suite = await startSuiteStack('dashboard', {
    order: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_READS_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
    },
  });
  stack = suite.stack;
  api = apiClient(stack.urls.order);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
});

afterAll(async () => {
  await browser?.close();
  await suite?.close();
});

async function shopperWithProduct() {
  const admin = await api('POST', '/api/auth/login', { body: ADMIN });
  expect(admin.status).toBe(200);
  const product = await api('POST', '/api/admin/products', {
    token: admin.body.accessToken,
    body: { sku: `DASH-${randomUUID().slice(0, 8)}`, name: 'Copper kettle', priceCents: 250_000, currency: 'INR', stock: 10 },
  });
  expect(product.status).toBe(201);
  const email = `dash-${randomUUID().slice(0, 8)}@shop.test`;
  const password = `Pw-${randomUUID()}`;
  expect((await api('POST', '/api/auth/register', { body: { username: 'meera', email, password } })).status).toBe(201);
  const login = await api('POST', '/api/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  // The shopper browses the catalogue before buying: one miss, then cache hits the page reports.
  for (let i = 0; i < 4; i++) {
    expect((await api('GET', `/api/products/${product.body.id}`)).status).toBe(200);
  }
  return { token: login.body.accessToken as string, productId: product.body.id as string };
}

/**
 * Records every status each order row shows, in order, straight from the DOM. Plain JS in a
 * string: it runs in the page, and this package compiles without the DOM lib.
 */
const RECORD_ROW_STATUSES = `
  window.seenStatuses = {};
  const note = (tr) => {
    const id = tr.getAttribute('data-id');
    const status = tr.getAttribute('data-status');
    if (!id || !status) return;
    const list = (window.seenStatuses[id] ??= []);
    if (list[list.length - 1] !== status) list.push(status);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') note(r.target);
      r.addedNodes.forEach((n) => n.nodeType === 1 && note(n));
    }
  }).observe(document.querySelector('#orders tbody'), { childList: true, attributes: true, subtree: true, attributeFilter: ['data-status'] });
`;

describe('admin dashboard at /admin', () => {
  it('logs in, shows a new order PENDING then PROCESSED live, and logs no console errors', async () => {
    const shopper = await shopperWithProduct();

    const response = await page.goto(`${stack!.urls.order}/admin`);
    expect(response?.status()).toBe(200);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    // Live = the EventSource is open, so the order placed next reaches the page as events.
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: /Orders/ }).waitFor();

    await page.evaluate(RECORD_ROW_STATUSES);
    const navigations: string[] = [];
    const orderFetches: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    page.on('request', (req) => {
      if (req.url().includes('/api/admin/orders')) orderFetches.push(req.url());
    });

    const placed = await api('POST', '/api/orders', {
      token: shopper.token,
      body: { items: [{ productId: shopper.productId, quantity: 1 }] },
    });
    expect(placed.status).toBe(201);
    const orderId = placed.body.id as string;

    const row = page.locator(`#orders tbody tr[data-id="${orderId}"]`);
    await page.locator(`#orders tbody tr[data-id="${orderId}"][data-status="PROCESSED"]`).waitFor({ timeout: 30_000 });
    const seen = await page.evaluate<string[] | undefined>(`window.seenStatuses[${JSON.stringify(orderId)}]`);
    // PENDING first, PROCESSED last; PROCESSING in between when the page caught that event too.
    expect(seen?.[0]).toBe('PENDING');
    expect(seen?.[seen.length - 1]).toBe('PROCESSED');
    expect(seen?.filter((s) => !['PENDING', 'PROCESSING', 'PROCESSED'].includes(s))).toEqual([]);
    expect(navigations).toEqual([]);
    expect(orderFetches).toEqual([]);
    expect(await row.locator('.badge').innerText()).toBe('PROCESSED');
    expect(await row.innerText()).toContain('Copper kettle');

    // The ops panel: queues listed with their DLQs, processing and cache figures filled in.
    const stats = page.waitForResponse((res) => res.url().endsWith('/api/admin/stats'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    expect((await stats).status()).toBe(200);
    await page.locator('#queues tbody tr th').first().waitFor();
    await page.locator('#s-count').filter({ hasNotText: '—' }).waitFor();
    console.log(
      `dashboard: cache hit ratio ${await page.locator('#s-ratio').innerText()} ` +
        `(hits/misses ${await page.locator('#s-hits').innerText()}), ` +
        `processing p50 ${await page.locator('#s-p50').innerText()}, p99 ${await page.locator('#s-p99').innerText()}`,
    );

    // Filters go to /api/admin/orders: FAILED hides the processed order, clearing brings it back.
    await page.getByLabel('Status', { exact: true }).selectOption('FAILED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();

    expect(consoleErrors).toEqual([]);
  });

  it('runs a bulk load from the panel: progress to the end, VIP and normal windows, history, throughput chart; cancels and resets', async () => {
    const orders = 300;
    await page.getByLabel('Mode', { exact: true }).selectOption('bulk');
    await page.getByLabel('Orders', { exact: true }).fill(String(orders));
    await page.getByLabel('Done when').selectOption('processed');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('#run-phase', { hasText: 'Done' }).waitFor({ timeout: 120_000 });

    expect(await page.evaluate<number>(`document.querySelector('#run-progress').value`)).toBe(1);
    expect(await page.locator('#run-progress-text').innerText()).toContain(`${orders} of ${orders} processed`);
    // Rows read "VIP 30 30 0 1.2 s": priority, generated, processed, failed, window.
    const windows = (await page.locator('#run-windows tbody tr').allInnerTexts()).map((text) => text.trim().split(/\s+/));
    expect(windows.map((w) => w[0])).toEqual(['VIP', 'NORMAL']);
    // Generated = processed per priority, and the two add up to the run.
    expect(windows.every((w) => Number(w[1]) > 0 && w[1] === w[2])).toBe(true);
    expect(Number(windows[0]![2]) + Number(windows[1]![2])).toBe(orders);
    // Whether VIP went first is the run's finding (a 300-order run is too small to promise it); the panel states it.
    expect(await page.locator('#run-vip').innerText()).toMatch(
      /^(VIP orders all began before any normal one|A normal order began before the last VIP order)\.$/,
    );
    await page
      .locator('#run-history li', { hasText: `bulk ${orders}` })
      .first()
      .waitFor({ state: 'attached' });

    // The chart sampled the run: three series, a non-zero peak (bulk generation and the processed / emailed events).
    await page.waitForFunction(`Number(document.querySelector('#tp-chart').dataset.peak) > 0`, undefined, { timeout: 10_000 });
    expect(await page.locator('#tp-chart polyline').count()).toBe(3);
    await page.locator('#run-history summary').click();
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    // The top of the page, tall enough for the chart and the whole load-run panel (the run's orders make the full page very long).
    await page.setViewportSize({ width: 1400, height: 1500 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: SCREENSHOT });

    // An api run waits for shoppers' orders, so it is still active when cancelled.
    await page.getByLabel('Mode', { exact: true }).selectOption('api');
    await page.getByLabel('Orders', { exact: true }).fill('1000');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('#run-phase', { hasText: 'Generating' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('#run-phase', { hasText: 'Cancelled' }).waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('#run-msg', { hasText: `Reset: deleted ${orders} generated order(s)` }).waitFor();

    expect(consoleErrors).toEqual([]);
  });
});
