/** Role order: a role may do what the weaker roles may. */
import { USER_ROLES, type UserRole } from '@nflab/contracts';

/** True when `role` is `required` or stronger. */
export const roleAllows = (role: UserRole, required: UserRole): boolean =>
  USER_ROLES.indexOf(role) >= USER_ROLES.indexOf(required);
