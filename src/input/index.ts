/** Input files: the zod schema, loading and validation. */
export { loadInput, builtinInputs, resolveInputFile, dataSourceFile, formatProblem, BUILTIN_INPUTS_DIR, type LoadedInput, type LoadInputOptions } from './load.js';
export { emitJsonSchema, writeJsonSchema, inputFileSchema, OBJ_TYPES, OBJECT_CLASSES, type InputEntry, type InputFile, type ObjType, type ObjectClass } from './schema.js';
export { validateInput, ALWAYS_KNOWN } from './validate.js';
export { GENERATORS, parseTemplates, refsOf, keysReferencedBy, type TemplateRef } from './refs.js';
