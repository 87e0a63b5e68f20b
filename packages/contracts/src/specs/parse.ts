/** Parsing of run and sweep specs into errors that name the field, the value given and what is allowed. */
import { parseInput } from '../validation.js';
import { runSpecSchema, type RunSpec } from './run-spec.js';
import { sweepSpecSchema, type SweepSpec } from './sweep-spec.js';

/** Parses a run spec; errors are an InputError naming each field under `run`. */
export const parseRunSpec = (value: unknown, label = 'run'): RunSpec =>
  parseInput(runSpecSchema, value, label);

/** Parses a sweep spec; errors are an InputError naming each field under `sweep`. */
export const parseSweepSpec = (value: unknown, label = 'sweep'): SweepSpec =>
  parseInput(sweepSpecSchema, value, label);
