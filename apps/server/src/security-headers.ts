/**
 * Security headers on every response (@fastify/helmet), with a Content-Security-Policy the built UI
 * runs under: its scripts and styles are files of this origin (Vite emits no inline script), and
 * the API and live events are same-origin fetches.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The Content-Security-Policy directives (helmet's camelCase form). */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // ECharts' "save as image" and Mantine's icons use data: URLs.
  imgSrc: ["'self'", 'data:', 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // Mantine injects <style> elements (its CSS variables) and ECharts' tooltips carry style
  // attributes; neither can take a nonce from a static index.html. Scripts stay strict.
  styleSrc: ["'self'", "'unsafe-inline'"],
  // Not upgrade-insecure-requests: a lab on a LAN address serves plain HTTP, and the upgrade
  // would break every asset request there.
  upgradeInsecureRequests: null,
};

/** Registers helmet on `app` (before the routes, so errors and 404s carry the headers too). */
export const registerSecurityHeaders = async (app: FastifyInstance): Promise<void> => {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // The UI loads nothing cross-origin; other sites' pages may not embed or read ours.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'same-origin' },
  });
};
