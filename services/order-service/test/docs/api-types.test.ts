import fs from 'node:fs';
import { API_TYPES_FILE, apiTypesText } from '../../src/docs/api-types';
import { openApiDocument } from '../../src/docs/postman-collection';

describe('committed API types of the typed client', () => {
  it('match the routes: run `pnpm api-types` and commit the file when this fails', async () => {
    const fresh = await apiTypesText(await openApiDocument());
    const committed = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : '(missing)';
    expect(committed).toBe(fresh);
  });
});
