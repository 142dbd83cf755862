/** `pnpm api-types`: regenerates the typed client's types from the routes' OpenAPI document. */
import fs from 'node:fs';
import path from 'node:path';
import { API_TYPES_FILE, apiTypesText } from './api-types';
import { openApiDocument } from './postman-collection';

async function main(): Promise<void> {
  fs.writeFileSync(API_TYPES_FILE, await apiTypesText(await openApiDocument()));
  process.stdout.write(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
