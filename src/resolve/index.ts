/** Resolution of values: templates, generators, value sources, the dependency graph, data sources, prompts. */
export { KNOWN_AFTER_APPLY, render, refsOf, valueAtPath, type Lookup, type TemplateRef } from './template.js';
export { createGenerators, formatTag, passwordPolicyViolations, type Generators } from './generate.js';
export { externalValue, loadValueSources, parseSetFlags, describeSource, type ValueSources, type ValueSourceName } from './sources.js';
export { buildGraph, externalKeys, type GraphNode, type ResolutionGraph } from './graph.js';
export { dataSourceNames, loadDataSources } from './data.js';
export { createPrompter, NOT_A_TERMINAL, type Prompter, type PrompterOptions, type ReviewAnswer, type ReviewRequest } from './prompt.js';
