/** `pnpm postman`: regenerates the committed Postman collection from the routes' OpenAPI document. */
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument, POSTMAN_FILE, postmanCollectionText } from './postman-collection';

async function main(): Promise<void> {
  const text = await postmanCollectionText(await openApiDocument());
  fs.mkdirSync(path.dirname(POSTMAN_FILE), { recursive: true });
  fs.writeFileSync(POSTMAN_FILE, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), POSTMAN_FILE)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
