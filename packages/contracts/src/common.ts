import { z } from 'zod';

export const Currency = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as INR');
/** Money is always integer minor units (paise, cents) next to a currency code. */
export const MinorUnits = z.number().int().safe();

export const Tier = z.enum(['BRONZE', 'SILVER', 'GOLD', 'DIAMOND']);
export type Tier = z.infer<typeof Tier>;

/** DIAMOND customers are VIP and ride the priority queue. */
export const Priority = z.enum(['VIP', 'NORMAL']);
export type Priority = z.infer<typeof Priority>;
export const priorityOf = (tier: Tier): Priority => (tier === 'DIAMOND' ? 'VIP' : 'NORMAL');

export const OrderStatus = z.enum(['PENDING', 'PROCESSING', 'PROCESSED', 'FAILED']);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const Role = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof Role>;
