import fs from 'node:fs';
import { openApiDocument, POSTMAN_FILE, postmanCollectionText } from '../../src/docs/postman-collection';

describe('committed Postman collection', () => {
  it('matches the routes: run `pnpm postman` and commit the file when this fails', async () => {
    const fresh = await postmanCollectionText(await openApiDocument());
    const committed = fs.existsSync(POSTMAN_FILE) ? fs.readFileSync(POSTMAN_FILE, 'utf8') : '(missing)';
    expect(committed).toBe(fresh);
  });

  it('has a request for every documented operation, logged in through {{bearerToken}}', async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    type Node = { item?: Node[]; request?: { auth?: { type: string } | null }; event?: { listen: string }[] };
    const requests: Node[] = [];
    const walk = (node: Node) => (node.request ? requests.push(node) : node.item?.forEach(walk));
    const collection = JSON.parse(fs.readFileSync(POSTMAN_FILE, 'utf8')) as Node & { variable: { key: string }[] };
    walk(collection);
    expect(requests).toHaveLength(operations);
    expect(requests.some((r) => r.request?.auth?.type === 'bearer')).toBe(true);
    expect(requests.filter((r) => r.event?.some((e) => e.listen === 'test'))).toHaveLength(1);
    expect(collection.variable.map((v) => v.key).sort()).toEqual(['baseUrl', 'bearerToken']);
  });
});
