import type { Tier } from '@oms/contracts';
import { NotFoundError } from '../shared/errors';
import type { User } from '../../domain/user';
import type { UserRepository } from './ports';

/** Takes effect from the user's next order: placeOrder reads the tier inside its transaction. */
export async function setUserTier(store: UserRepository, id: string, tier: Tier): Promise<User> {
  const user = await store.setUserTier(id, tier);
  if (!user) throw new NotFoundError('user-not-found', `user ${id} does not exist`);
  return user;
}
