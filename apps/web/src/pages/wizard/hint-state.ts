/**
 * The wizard's HINT step: its fields, the run spec's `hierarchy` and loss they become, and what
 * stops them from forming a valid HINT run — each problem names the wizard field and the fix, the
 * same conditions the contracts schema and the planner check (plain model, distribution loss, no
 * exogenous columns, aggregates of the run's own series, a model that takes a distribution loss).
 */
import {
  hierarchyFieldSchema,
  MAX_HIERARCHY_AGGREGATES,
  type ReconciliationMethod,
  type SweepSpecInput,
} from '@nflab/contracts';

/** One aggregate series of the form; `members` null sums every chosen series (a total). */
export interface WizardAggregate {
  readonly id: string;
  readonly members: readonly string[] | null;
}

/** The wizard fields HINT reads (a slice of the wizard state, so this module needs none of it). */
export interface HintFields {
  readonly hint: boolean;
  readonly aggregates: readonly WizardAggregate[];
  readonly reconciliation: ReconciliationMethod;
  /** DistributionLoss family of the base model (`'Normal'`, …). */
  readonly distribution: string;
  readonly uniqueIds: readonly string[];
  readonly eachUniqueId: boolean;
  readonly search: boolean;
  readonly exogenous: string;
  readonly models: readonly string[];
}

/** HINT's defaults: off, one total over the chosen series, MinTrace with structural scaling. */
export const INITIAL_HINT = {
  hint: false,
  aggregates: [{ id: 'total', members: null }] as readonly WizardAggregate[],
  reconciliation: 'MinTraceWLS' as ReconciliationMethod,
  distribution: 'Normal',
} as const;

/** The forecast levels the base model's distribution loss reports (the spec's own default). */
const LEVELS = [80, 90];

/** What stops a HINT run, as a message key of the `hint.issue.` family with its values. */
export interface HintIssue {
  readonly code: HintIssueCode;
  readonly values?: Readonly<Record<string, string | number>>;
}

/** Problem codes; each has a dictionary message naming the field and the fix. */
export const HINT_ISSUE_CODES = [
  'tooFewSeries',
  'eachUniqueId',
  'search',
  'exogenous',
  'pointLossModel',
  'noAggregates',
  'tooManyAggregates',
  'aggregateId',
  'aggregateIdTaken',
  'aggregateMembers',
  'aggregateNotChosen',
  'aggregateRepeats',
] as const;
/** A HINT problem code. */
export type HintIssueCode = (typeof HINT_ISSUE_CODES)[number];

/** The members an aggregate sums: its own list, or every chosen series. */
export const aggregateMembers = (
  aggregate: WizardAggregate,
  uniqueIds: readonly string[],
): readonly string[] => aggregate.members ?? uniqueIds;

const ID_SCHEMA = hierarchyFieldSchema.shape.aggregates.element.shape.id;

/** Problems of each aggregate: its name, its members, a repeat of another one. */
const aggregateIssues = (state: HintFields): HintIssue[] => {
  const issues: HintIssue[] = [];
  const chosen = new Set(state.uniqueIds);
  const names = new Set<string>();
  const sums = new Map<string, string>();
  state.aggregates.forEach((aggregate, index) => {
    const id = aggregate.id.trim();
    const label = id === '' ? `#${index + 1}` : id;
    if (!ID_SCHEMA.safeParse(id).success) issues.push({ code: 'aggregateId', values: { n: index + 1 } });
    else if (chosen.has(id) || names.has(id)) issues.push({ code: 'aggregateIdTaken', values: { id } });
    names.add(id);
    const members = aggregateMembers(aggregate, state.uniqueIds);
    const missing = members.filter((member) => !chosen.has(member));
    if (missing.length > 0)
      issues.push({ code: 'aggregateNotChosen', values: { id: label, series: missing.join(', ') } });
    else if (members.length < 2) issues.push({ code: 'aggregateMembers', values: { id: label } });
    else {
      // Two aggregates summing the same series make MinTrace's system singular (and say nothing new).
      const key = [...members].sort().join('\u0000');
      const twin = sums.get(key);
      if (twin !== undefined) issues.push({ code: 'aggregateRepeats', values: { id: label, other: twin } });
      else sums.set(key, label);
    }
  });
  return issues;
};

/**
 * Every reason the form's HINT run cannot be built, in the order the steps come; empty when HINT is
 * off or ready. `pointLossOnly` lists the models that train with point losses only (from the API).
 */
export const hintIssues = (state: HintFields, pointLossOnly: readonly string[] = []): HintIssue[] => {
  if (!state.hint) return [];
  const issues: HintIssue[] = [];
  if (state.uniqueIds.length < 2)
    issues.push({ code: 'tooFewSeries', values: { n: state.uniqueIds.length } });
  if (state.eachUniqueId) issues.push({ code: 'eachUniqueId' });
  if (state.search) issues.push({ code: 'search' });
  if (state.exogenous !== 'none') issues.push({ code: 'exogenous' });
  for (const model of state.models.filter((id) => pointLossOnly.includes(id)))
    issues.push({ code: 'pointLossModel', values: { model } });
  if (state.aggregates.length === 0) issues.push({ code: 'noAggregates' });
  if (state.aggregates.length > MAX_HIERARCHY_AGGREGATES)
    issues.push({ code: 'tooManyAggregates', values: { max: MAX_HIERARCHY_AGGREGATES } });
  return [...issues, ...aggregateIssues(state)];
};

/** The spec fields HINT sets: the hierarchy and the distribution loss it reconciles; none when off. */
export const hintSpecFields = (state: HintFields): Pick<SweepSpecInput, 'hierarchy' | 'loss'> => {
  if (!state.hint) return {};
  return {
    loss: { id: 'distributionloss', distribution: state.distribution, level: [...LEVELS] },
    hierarchy: {
      aggregates: state.aggregates.map((aggregate) => ({
        id: aggregate.id.trim(),
        members: [...aggregateMembers(aggregate, state.uniqueIds)],
      })),
      reconciliation: state.reconciliation,
    },
  };
};

/**
 * Series a run's model takes together: the chosen ones, plus HINT's aggregates (a multivariate
 * model's n_series, as the runner counts it).
 */
export const runSeriesCount = (state: Pick<HintFields, 'hint' | 'aggregates' | 'uniqueIds'>): number =>
  state.uniqueIds.length + (state.hint ? state.aggregates.length : 0);
