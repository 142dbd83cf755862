import { randomUUID } from 'node:crypto';

/** Ids are chosen by the app (not the database) so every adapter stores the same values. */
export const newId = (): string => randomUUID();
