import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

/** Committed; `pnpm api-types` rewrites it and a test fails when it no longer matches the routes. */
export const API_TYPES_FILE = path.resolve(__dirname, '../../../../packages/api-client/src/openapi.ts');

const HEADER =
  '// The order service HTTP API as TypeScript types, generated from its OpenAPI document by `pnpm api-types`. Do not edit.\n\n';

/** TypeScript types (paths, components, operations) of the OpenAPI document, as file text. */
export async function apiTypesText(doc: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(doc as never, { alphabetize: true, exportType: true, rootTypes: false });
  return HEADER + astToString(ast);
}
