import fs from 'node:fs';
import { openApiDocument, POSTMAN_FILE, postmanCollectionText } from '../../src/docs/postman-collection';
import { NOT_IN_COLLECTION } from '../../src/docs/postman-flow';

// Builds the app and converts its whole document; seconds on a busy machine.
jest.setTimeout(60_000);

type Request = {
  method: string;
  url: { path: string[]; query: { key: string; value: string; disabled?: boolean }[]; variable: { key: string; value: string }[] };
  auth?: { type: string; bearer?: { value: string }[] };
  body?: { raw?: string };
};
type Node = { name: string; item?: Node[]; request?: Request; event?: { listen: string; script: { exec: string[] } }[] };

describe('committed Postman collection', () => {
  it('matches the routes: run `pnpm postman` and commit the file when this fails', async () => {
    const fresh = await postmanCollectionText(await openApiDocument());
    const committed = fs.existsSync(POSTMAN_FILE) ? fs.readFileSync(POSTMAN_FILE, 'utf8') : '(missing)';
    expect(committed).toBe(fresh);
  });

  it('calls every documented operation but the stream, with real values and a status check on each request', async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, { operationId: string }>> };
    const expected = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.entries(ops)
          .filter(([, op]) => !NOT_IN_COLLECTION.has(op.operationId))
          .map(([m]) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
    const collection = JSON.parse(fs.readFileSync(POSTMAN_FILE, 'utf8')) as Node & { variable: { key: string }[] };
    const requests: Node[] = [];
    const walk = (node: Node) => (node.request ? requests.push(node) : node.item?.forEach(walk));
    walk(collection);
    const called = new Set(requests.map(({ request: r }) => `${r!.method} /${r!.url.path.join('/').replace(/:(\w+)/g, '{$1}')}`));
    expect([...called].sort()).toEqual(expected);

    for (const { name, request, event } of requests) {
      const sent = JSON.stringify([request!.body?.raw ?? '', request!.url.variable, request!.url.query.filter((q) => !q.disabled)]);
      // The converter's placeholders (<string>, <integer>) would make the server answer 400.
      expect({ name, placeholders: sent.match(/<\w+>/g) }).toEqual({ name, placeholders: null });
      const tests = event?.find((e) => e.listen === 'test')?.script.exec.join('\n') ?? '';
      expect({ name, checksStatus: /pm\.response\.to\.have\.status\(\d{3}\)/.test(tests) }).toEqual({ name, checksStatus: true });
      if (request!.auth?.type === 'bearer') expect(request!.auth.bearer?.[0]?.value).toMatch(/^\{\{(admin|shopper)Token\}\}$/);
    }
    expect(collection.variable.map((v) => v.key)).toEqual(
      expect.arrayContaining(['baseUrl', 'adminEmail', 'adminPassword', 'adminToken', 'shopperToken', 'productId', 'orderId']),
    );
  });
});
