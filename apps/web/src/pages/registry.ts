/**
 * Every page of the app, one line each: its route, and for top-level pages its navigation label.
 * Pages load on first visit, each its own chunk (the charts library is shared by the pages that
 * draw), so the login and the first page do not wait for every page's code.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from '../api/types.js';
import type { MessageKey } from '../i18n/dictionary.js';

/** A page module's named export as a lazily loaded component. */
const page = <K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
): LazyExoticComponent<ComponentType> => lazy(() => load().then((module) => ({ default: module[name] })));

/** A routed page. */
export interface PageEntry {
  readonly id: string;
  readonly path: string;
  readonly component: LazyExoticComponent<ComponentType>;
  /** Shown in the header when set. */
  readonly label?: MessageKey;
  /** The role the page needs; the header hides it from weaker roles (the API refuses them too). @default 'viewer' */
  readonly access?: Role;
}

/** The routed pages (the login page lives outside the signed-in layout). */
export const PAGES = [
  {
    id: 'data',
    path: '/data',
    component: page(() => import('./data/DataPage.js'), 'DataPage'),
    label: 'nav.data',
  },
  {
    id: 'wizard',
    path: '/experiments/new',
    component: page(() => import('./wizard/WizardPage.js'), 'WizardPage'),
    label: 'nav.newExperiment',
  },
  {
    id: 'sweeps',
    path: '/sweeps',
    component: page(() => import('./sweep/SweepsPage.js'), 'SweepsPage'),
    label: 'nav.sweeps',
  },
  { id: 'sweep', path: '/sweeps/:id', component: page(() => import('./sweep/SweepPage.js'), 'SweepPage') },
  {
    id: 'history',
    path: '/runs',
    component: page(() => import('./history/HistoryPage.js'), 'HistoryPage'),
    label: 'nav.history',
  },
  {
    id: 'compare',
    path: '/compare',
    component: page(() => import('./compare/ComparePage.js'), 'ComparePage'),
  },
  { id: 'run', path: '/runs/:id', component: page(() => import('./run/RunPage.js'), 'RunPage') },
  {
    id: 'monitors',
    path: '/monitors',
    component: page(() => import('./monitors/MonitorsPage.js'), 'MonitorsPage'),
    label: 'nav.monitors',
  },
  {
    id: 'monitor',
    path: '/monitors/:name',
    component: page(() => import('./monitors/MonitorPage.js'), 'MonitorPage'),
  },
  {
    id: 'registry',
    path: '/registry',
    component: page(() => import('./model-registry/RegistryPage.js'), 'RegistryPage'),
    label: 'nav.registry',
  },
  {
    id: 'registeredModel',
    path: '/registry/:name',
    component: page(() => import('./model-registry/RegisteredModelPage.js'), 'RegisteredModelPage'),
  },
  {
    id: 'audit',
    path: '/audit',
    component: page(() => import('./audit/AuditPage.js'), 'AuditPage'),
    label: 'nav.audit',
    access: 'admin',
  },
] as const satisfies readonly PageEntry[];

/** Pages listed in the header. */
export const NAV_PAGES = PAGES.filter(
  (page): page is Extract<(typeof PAGES)[number], { label: MessageKey }> => 'label' in page,
);
