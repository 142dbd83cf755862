import { z } from 'zod';

/** Path ids are app-chosen strings; bounding them keeps junk out of queries and logs. */
export const IdParams = z.object({ id: z.string().min(1).max(64).meta({ example: '01936f7e-3c1a-7b2e-9d4f-5a6b7c8d9e0f' }) });

export const PageQuery = z.object({
  cursor: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .describe('nextCursor of the previous page')
    .meta({ example: 'MjAyNi0xMi0wMVQxODowMDowMC4wMDBafDAxOTM2ZjdlLTNjMWE' }),
  limit: z.coerce.number().int().min(1).max(100).default(20).meta({ example: 20 }),
});

/**
 * C0/C1 controls (CR/LF, NUL, ESC...) and bidirectional overrides/isolates/marks: they break logs,
 * headers and CSV exports, or make a name display as something else.
 */
const CONTROL_OR_BIDI = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Text shown to people (names): trimmed, bounded, no control or bidi-override characters. */
export const DisplayText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_OR_BIDI.test(s), 'control and bidirectional-override characters are not allowed');

/** OpenAPI `security` of a route: a Bearer access token, or none at all (public). */
export const BEARER = [{ bearerAuth: [] }];
export const PUBLIC: [] = [];
