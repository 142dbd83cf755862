import type { Role, Tier } from '@oms/contracts';

export interface User {
  id: string;
  username: string;
  email: string; // lower-cased
  passwordHash: string;
  role: Role;
  tier: Tier;
  createdAt: Date;
}
