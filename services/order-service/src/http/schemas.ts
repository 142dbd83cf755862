import { z } from 'zod';

/** Path ids are app-chosen strings; bounding them keeps junk out of queries and logs. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });

export const PageQuery = z.object({
  cursor: z.string().min(1).max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
