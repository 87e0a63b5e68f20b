/** The registry's one extra rule beyond route roles: production is for admins. */
import type { FastifyRequest } from 'fastify';
import type { RegistryEntryDto } from '@nflab/contracts';
import { audit } from '../audit/record.js';
import { ForbiddenError } from '../auth/errors.js';
import { currentUser } from '../auth/plugin.js';
import { roleAllows } from '../auth/roles.js';

/**
 * Refuses a non-admin whose change puts a version into production or takes one out of it (moving,
 * archiving or deleting what other systems serve from), whichever API it came through; the refusal
 * is audited as `access.denied`.
 */
export const requireAdminForProd = async (
  request: FastifyRequest,
  change: {
    readonly from?: RegistryEntryDto['stage'];
    readonly to?: RegistryEntryDto['stage'];
    readonly name: string;
    readonly version?: number;
  },
): Promise<void> => {
  if (change.from !== 'prod' && change.to !== 'prod') return;
  const user = currentUser(request);
  if (roleAllows(user.role, 'admin')) return;
  await audit(request, {
    action: 'access.denied',
    entity: 'registered_model',
    entityId: change.name,
    outcome: 'denied',
    details: {
      ...(change.version === undefined ? {} : { version: change.version }),
      from: change.from ?? null,
      to: change.to ?? null,
      needs: 'admin',
    },
  });
  throw new ForbiddenError('admin', user.role);
};
