export { buildServer, type ServerOptions } from './app.js';
export type { ErrorBody } from './errors.js';
export {
  ensureInitialAdmin,
  createUser,
  findUserByName,
  listUsers,
  updateUser,
  type InitialAdmin,
  type NewUser,
} from './auth/users.js';
export { createApiToken, type NewApiToken } from './auth/api-tokens.js';
export { SESSION_COOKIE, type RouteAccess } from './auth/plugin.js';
export { ROUTE_ACCESS, type DeclaredRoute } from './auth/access.js';
export { DEFAULT_LOGIN_THROTTLE, type LoginThrottleOptions } from './auth/login-throttle.js';
export { createAuditLog, auditFileIn, type AuditLog, type AuditLogOptions } from './audit/audit-log.js';
export { makeReport, reportDownload, REPORT_MAX_BYTES, type ReportTarget } from './reports/make.js';
export { PdfRenderer, defaultChromium, type PdfOptions } from './reports/pdf.js';
export { promoteRun, type Promotion } from './registry/promote.js';
export {
  moveRegistryStage,
  parseRegistryReference,
  pointRegistryAlias,
  requireRegistryAlias,
  requireRegistryVersion,
  resolveRegistryReference,
  runOfVersion,
  type RegistryReference,
} from './registry/moves.js';
export { registeredModelDto } from './registry/summary.js';
export {
  buildModelCard,
  modelCardArtifacts,
  modelCardFile,
  type ModelCardFile,
  type ModelCardSources,
} from './registry/model-card.js';
export { aliasComparison, compareAliases, type AliasComparison } from './registry/champion-challenger.js';
export { startTracing, stopTracing, type LabTracing } from './tracing/tracing.js';
