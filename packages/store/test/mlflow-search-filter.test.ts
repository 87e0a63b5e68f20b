/** MLflow's run search filter and order_by grammar, parsed without a database. */
import { describe, expect, test } from 'vitest';
import { MlflowError } from '../src/mlflow/errors.js';
import { parseOrderBy, parseSearchFilter } from '../src/mlflow/search-filter.js';

/** The MLflow error a parse raises. */
const refusal = (parse: () => unknown): MlflowError => {
  try {
    parse();
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error('the input was accepted');
};

describe('parseSearchFilter', () => {
  test('an empty or blank filter has no clauses', () => {
    expect(parseSearchFilter(undefined)).toEqual([]);
    expect(parseSearchFilter('  ')).toEqual([]);
  });

  test("the client session's filters: numbers for metrics, strings for params, tags and attributes", () => {
    expect(parseSearchFilter("metrics.loss < 1 and params.solver = 'saga'")).toEqual([
      { entity: 'metric', key: 'loss', comparator: '<', value: 1 },
      { entity: 'param', key: 'solver', comparator: '=', value: 'saga' },
    ]);
    expect(parseSearchFilter("tags.team = 'ml-platform' AND attributes.status = 'FINISHED'")).toEqual([
      { entity: 'tag', key: 'team', comparator: '=', value: 'ml-platform' },
      { entity: 'attribute', key: 'status', comparator: '=', value: 'FINISHED' },
    ]);
  });

  test('entity spellings, quoted and dotted keys, every comparator', () => {
    expect(
      parseSearchFilter(
        'metric.`val loss` >= -1.5e-3 and param."batch size" != "32" and tag.mlflow.runName LIKE \'parent%\' ' +
          "and run.run_name ILIKE '%RUN' and attribute.status IN ('FINISHED', 'FAILED') " +
          "and tags.stage NOT IN ('test') and attr.start_time > 1700000000000 and metrics.f1 <> 0",
      ),
    ).toEqual([
      { entity: 'metric', key: 'val loss', comparator: '>=', value: -0.0015 },
      { entity: 'param', key: 'batch size', comparator: '!=', value: '32' },
      { entity: 'tag', key: 'mlflow.runName', comparator: 'LIKE', value: 'parent%' },
      { entity: 'attribute', key: 'run_name', comparator: 'ILIKE', value: '%RUN' },
      { entity: 'attribute', key: 'status', comparator: 'IN', value: ['FINISHED', 'FAILED'] },
      { entity: 'tag', key: 'stage', comparator: 'NOT IN', value: ['test'] },
      { entity: 'attribute', key: 'start_time', comparator: '>', value: 1700000000000 },
      { entity: 'metric', key: 'f1', comparator: '!=', value: 0 },
    ]);
  });

  test.each([
    ["metrics.loss = 'low'", 'metrics.loss is compared with a number, got "\'low\'" at position 15'],
    [
      "metrics.loss LIKE '1%'",
      'metrics.loss is compared as a number, with one of =, !=, >, >=, <, <=, not LIKE',
    ],
    [
      'params.solver > 3',
      'params.solver is compared as a string, with one of =, !=, LIKE, ILIKE, IN, NOT IN, not >',
    ],
    ['params.solver = 3', 'params.solver is compared with a quoted string, got 3 at position 16'],
    ["solver = 'saga'", '"solver" must start with metrics., params., tags. or attributes.'],
    ["attributes.color = 'red'", 'attribute "color" is not one of run_id, run_name, status'],
    ["params.a = 'x' or params.b = 'y'", 'OR is not supported'],
    ["params.a = 'x' params.b = 'y'", 'expected AND between clauses'],
    ["params.a = 'x", "the quote ' at position 11 is never closed"],
    ["params.a ~ 'x'", 'unexpected character "~" at position 9'],
    ["params.a IN 'x'", "IN must be followed by a list ('a', 'b')"],
    ["params.a IN ('x'", "the IN list is not closed with ')'"],
    ["params.a NOT LIKE 'x'", 'NOT must be followed by IN'],
    ['metrics.loss <', 'ended where a number was expected'],
  ])('%s is INVALID_PARAMETER_VALUE naming the mistake', (filter, message) => {
    const error = refusal(() => parseSearchFilter(filter));
    expect(error.mlflowCode).toBe('INVALID_PARAMETER_VALUE');
    expect(error.mlflowStatus).toBe(400);
    expect(error.message).toContain(message);
  });
});

describe('parseOrderBy', () => {
  test('ascending by default, DESC and ASC in any case, quoted keys', () => {
    expect(parseOrderBy('metrics.loss')).toEqual({ entity: 'metric', key: 'loss', ascending: true });
    expect(parseOrderBy('attributes.start_time desc')).toEqual({
      entity: 'attribute',
      key: 'start_time',
      ascending: false,
    });
    expect(parseOrderBy('params.`a b` ASC')).toEqual({ entity: 'param', key: 'a b', ascending: true });
  });

  test('anything after the direction, or an unknown attribute, is refused', () => {
    expect(refusal(() => parseOrderBy('metrics.loss DESC extra')).message).toContain(
      'expected ASC or DESC after the key, then nothing',
    );
    expect(refusal(() => parseOrderBy('attributes.colour')).message).toContain(
      'attribute "colour" is not one of',
    );
  });
});
