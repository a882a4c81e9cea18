/** A named text transform. The name is recorded in reports so nobody has to guess how text was normalised. */
export type TextTransform = ((text: string) => string) & { readonly transformName: string };

/**
 * Names a text function so it can be listed in reports.
 * @param name - Stable, human-readable name (e.g. `upperCase`).
 * @param fn - The transform; must be deterministic.
 * @returns `fn` tagged with `transformName`.
 * @example
 * ```ts
 * const dropFillers = defineTransform('dropFillers', (t) => t.replace(/\b(UH|UM)\b/g, ''));
 * ```
 */
export function defineTransform(name: string, fn: (text: string) => string): TextTransform {
  const transform = (text: string): string => fn(text);
  Object.defineProperty(transform, 'transformName', { value: name, enumerable: true });
  return transform as TextTransform;
}

/** Upper-cases (locale-independent). @example `upperCase("it's") // "IT'S"` */
export const upperCase: TextTransform = defineTransform('upperCase', (t) => t.toUpperCase());

/** Lower-cases (locale-independent). @example `lowerCase('HELLO') // "hello"` */
export const lowerCase: TextTransform = defineTransform('lowerCase', (t) => t.toLowerCase());

/** Replaces whitespace runs by one space and trims both ends. @example `collapseWhitespace(' a \t b ') // "a b"` */
export const collapseWhitespace: TextTransform = defineTransform('collapseWhitespace', (t) =>
  t.replace(/\s+/gu, ' ').trim(),
);

/**
 * Maps typographic apostrophes (’ ‘ ʼ ` ´ ′) to the ASCII apostrophe, so "don’t" and "don't"
 * are the same word. @example `normalizeApostrophes('don’t') // "don't"`
 */
export const normalizeApostrophes: TextTransform = defineTransform('normalizeApostrophes', (t) =>
  t.replace(/[\u2018\u2019\u02BC`\u00B4\u2032]/gu, "'"),
);

/** Deletes ASCII apostrophes ("don't" becomes "dont"). @example `removeApostrophes("don't") // "dont"` */
export const removeApostrophes: TextTransform = defineTransform('removeApostrophes', (t) => t.replace(/'/gu, ''));

const punctuation = /[\p{P}\p{S}]/gu;
const punctuationExceptApostrophe = /(?!')[\p{P}\p{S}]/gu;

/**
 * Replaces Unicode punctuation and symbols (categories P and S) by spaces, so "end.start" splits
 * into two words rather than gluing into one; follow with {@link collapseWhitespace}. Without
 * `keepApostrophes`, apostrophes are deleted instead ("don't" becomes "dont").
 * @param options - `keepApostrophes` (default true) keeps the ASCII apostrophe inside words such as "don't".
 * @returns The transform, named `stripPunctuation` or `stripPunctuation(keepApostrophes)`.
 * @example
 * ```ts
 * stripPunctuation()("Hello, world! Don't.") // "Hello  world  Don't "
 * ```
 */
export function stripPunctuation(options: { keepApostrophes?: boolean } = {}): TextTransform {
  const keep = options.keepApostrophes ?? true;
  const pattern = keep ? punctuationExceptApostrophe : punctuation;
  // Apostrophes sit inside words ("don't"), so when they go they are deleted rather than spaced.
  if (keep) return defineTransform('stripPunctuation(keepApostrophes)', (t) => t.replace(pattern, ' '));
  return defineTransform('stripPunctuation', (t) => t.replace(/['\u2019]/gu, '').replace(pattern, ' '));
}

/**
 * Removes apostrophes that are not inside a word (quotes such as 'hello'), keeping "don't".
 * @example `stripQuoteApostrophes("'hello' don't") // "hello don't"`
 */
export const stripQuoteApostrophes: TextTransform = defineTransform('stripQuoteApostrophes', (t) =>
  t.replace(/(^|[^\p{L}\p{N}'])'+|'+(?=[^\p{L}\p{N}]|$)/gu, '$1'),
);

/**
 * Runs transforms left to right.
 * @param transforms - The transforms, in order.
 * @returns One transform named after its parts (`a+b+c`).
 * @example
 * ```ts
 * const norm = composeTransforms([lowerCase, collapseWhitespace]);
 * norm('  Hello  World ') // "hello world"
 * ```
 */
export function composeTransforms(transforms: readonly TextTransform[]): TextTransform {
  const list = transforms.slice();
  return defineTransform(list.map((t) => t.transformName).join('+'), (text) => applyTransforms(text, list));
}

/**
 * Applies transforms left to right.
 * @param text - Input text.
 * @param transforms - The transforms, in order.
 * @returns The transformed text.
 * @example
 * ```ts
 * applyTransforms('Hello,  world', librispeechNormalizer) // "HELLO WORLD"
 * ```
 */
export function applyTransforms(text: string, transforms: readonly TextTransform[]): string {
  let out = text;
  for (const transform of transforms) out = transform(out);
  return out;
}

/**
 * LibriSpeech-style normalisation, as a list so each step is named in reports: typographic
 * apostrophes to ASCII, upper case, punctuation and symbols to spaces except apostrophes inside
 * words, then whitespace collapsed.
 * @example
 * ```ts
 * scoreCorpus(pairs, { transforms: librispeechNormalizer });
 * applyTransforms("‘Don’t,’ he said.", librispeechNormalizer) // "DON'T HE SAID"
 * ```
 */
export const librispeechNormalizer: readonly TextTransform[] = Object.freeze([
  normalizeApostrophes,
  upperCase,
  stripPunctuation({ keepApostrophes: true }),
  stripQuoteApostrophes,
  collapseWhitespace,
]);
