/** The props of a wizard step, in a module of its own so the steps need not import the page that renders them. */
import type { WizardState } from './wizard-state.js';

/** Props every step gets: the state and a patch function. */
export interface StepProps {
  readonly state: WizardState;
  readonly update: (patch: Partial<WizardState>) => void;
}
