/** Every page of the app, one line each: its route, and for top-level pages its navigation label. */
import type { ComponentType } from 'react';
import type { MessageKey } from '../i18n/dictionary.js';
import { ComparePage } from './compare/ComparePage.js';
import { DataPage } from './data/DataPage.js';
import { HistoryPage } from './history/HistoryPage.js';
import { RunPage } from './run/RunPage.js';
import { SweepPage } from './sweep/SweepPage.js';
import { SweepsPage } from './sweep/SweepsPage.js';
import { WizardPage } from './wizard/WizardPage.js';

/** A routed page. */
export interface PageEntry {
  readonly id: string;
  readonly path: string;
  readonly component: ComponentType;
  /** Shown in the header when set. */
  readonly label?: MessageKey;
}

/** The routed pages (the login page lives outside the signed-in layout). */
export const PAGES = [
  { id: 'data', path: '/data', component: DataPage, label: 'nav.data' },
  { id: 'wizard', path: '/experiments/new', component: WizardPage, label: 'nav.newExperiment' },
  { id: 'sweeps', path: '/sweeps', component: SweepsPage, label: 'nav.sweeps' },
  { id: 'sweep', path: '/sweeps/:id', component: SweepPage },
  { id: 'history', path: '/runs', component: HistoryPage, label: 'nav.history' },
  { id: 'compare', path: '/compare', component: ComparePage },
  { id: 'run', path: '/runs/:id', component: RunPage },
] as const satisfies readonly PageEntry[];

/** Pages listed in the header. */
export const NAV_PAGES = PAGES.filter(
  (page): page is Extract<(typeof PAGES)[number], { label: MessageKey }> => 'label' in page,
);
