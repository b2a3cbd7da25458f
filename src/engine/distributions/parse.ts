/**
 * Parser for the distribution language:
 *
 *   distribution := family '(' arguments? ')' | quantity          a bare `2ms` means const(2ms)
 *   arguments    := argument (',' argument)*
 *   argument     := name '=' word | word                          positional ones first
 *   mixture      := 'mixture' '(' weight ':' distribution (',' weight ':' distribution)* ')'
 *   word         := characters other than space and ( ) , = :  |  a "quoted" or 'quoted' string
 *
 * A hand-written recursive descent over the raw text (no token list), so `empirical(data/p99.csv)` can
 * take a path as one word. Every error is a ParseError whose offset and length point at the culprit.
 */
import { ParseError } from '../parse-error.js';
import { dimensionNoun, expectedText, scanQuantity, type Quantity } from '../units.js';
import { Constant } from './constant.js';
import { unifyDimension, type ValueDimension } from './dimension.js';
import type { Distribution } from './distribution.js';
import { readSamples, SampleFileError } from './empirical.js';
import { FAMILY_NAMES, findFamily, MIXTURE_USAGE, type Family, type FamilyArgs } from './families.js';
import { Mixture, WEIGHT_TOLERANCE, type MixtureComponent } from './mixture.js';

export interface ParseDistributionOptions {
  /** Returns the contents of a file named in `empirical(...)`; the engine itself does no I/O. */
  readonly readFile?: (path: string) => string;
  /**
   * What the values must measure. When absent, the first value with a unit decides (`exp(mean=2ms)` is
   * a duration, `exp(mean=2)` a plain number) and the others must agree. With `bytes`, bare numbers are bytes.
   */
  readonly expect?: ValueDimension;
}

/** Nesting deeper than this is surely a mistake, and would otherwise end in a stack overflow. */
const MAX_DEPTH = 32;
const PUNCTUATION = '(),=:';

/** One argument as written: `name=value` or a positional `value`. */
interface Argument {
  readonly name?: Word;
  readonly value: Word;
}

interface Word {
  /** The word, without quotes. */
  readonly text: string;
  /** Span in the source, quotes included. */
  readonly start: number;
  readonly end: number;
  readonly quoted: boolean;
}

/** Parses a distribution such as `lognormal(median=3ms, p99=40ms)`; throws ParseError. */
export function parseDistribution(text: string, options: ParseDistributionOptions = {}): Distribution {
  return new Parser(text, options).parseAll();
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** The dimension shared by every value in the text, once known. */
  dimension: ValueDimension | undefined;

  constructor(
    readonly text: string,
    readonly options: ParseDistributionOptions,
  ) {
    this.dimension = options.expect;
  }

  parseAll(): Distribution {
    const distribution = this.distribution();
    this.skipSpace();
    if (this.pos < this.text.length) {
      const stray = this.text[this.pos] === ')' ? " (unbalanced ')')" : '';
      this.failAt(`expected end of input after the distribution, found ${this.describe(this.pos)}${stray}`, this.pos);
    }
    return distribution;
  }

  fail(message: string, start: number, end: number): never {
    throw new ParseError(message, start, Math.max(1, end - start));
  }

  /** Fails at the token starting at `at` (or at end of input). */
  private failAt(message: string, at: number): never {
    return this.fail(message, at, this.tokenEnd(at));
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private tokenEnd(at: number): number {
    const c = this.text[at];
    if (c === undefined) return at + 1;
    if (PUNCTUATION.includes(c)) return at + 1;
    let end = at;
    while (end < this.text.length && !/\s/.test(this.text[end]) && !PUNCTUATION.includes(this.text[end])) end++;
    return end;
  }

  /** What is at `at`, for "found ..." in messages. */
  private describe(at: number): string {
    return at >= this.text.length ? 'end of input' : `'${this.text.slice(at, this.tokenEnd(at))}'`;
  }

  private word(): Word {
    this.skipSpace();
    const start = this.pos;
    const quote = this.text[start];
    if (quote === '"' || quote === "'") {
      const close = this.text.indexOf(quote, start + 1);
      if (close < 0) this.fail(`expected a closing ${quote}, found end of input`, start, this.text.length);
      this.pos = close + 1;
      return { text: this.text.slice(start + 1, close), start, end: this.pos, quoted: true };
    }
    this.pos = start < this.text.length && !PUNCTUATION.includes(this.text[start]) ? this.tokenEnd(start) : start;
    return { text: this.text.slice(start, this.pos), start, end: this.pos, quoted: false };
  }

  /** Consumes `,` (true) or `)` (false) after an argument of `call`, or reports what is there instead. */
  private separator(call: string, after: string): boolean {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === ',' || c === ')') {
      this.pos++;
      return c === ',';
    }
    if (c === undefined) return this.failAt(`expected ')' to close '${call}(', found end of input`, this.pos);
    return this.failAt(`expected ',' or ')' after '${after}', found ${this.describe(this.pos)}`, this.pos);
  }

  distribution(): Distribution {
    const name = this.word();
    if (name.text === '' && !name.quoted) {
      this.failAt(`expected a distribution such as exp(mean=2ms), found ${this.describe(name.start)}`, name.start);
    }
    if (!name.quoted && /^[-+.\d]/.test(name.text)) {
      return new Constant(this.value(name, 'value', 'non-negative'), this.dimensionOrNumber());
    }
    const family = name.quoted ? undefined : findFamily(name.text);
    const isMixture = !name.quoted && name.text === 'mixture';
    if (family === undefined && !isMixture) {
      const hint = suggest(name.text);
      // Quotes shown as written: `"exp"` is not the family exp, and the hint then says what to write.
      this.fail(
        `expected a distribution family (one of ${FAMILY_NAMES.join(', ')}), found '${this.text.slice(name.start, name.end)}'${hint}`,
        name.start,
        name.end,
      );
    }
    this.skipSpace();
    if (this.text[this.pos] !== '(') {
      this.failAt(`expected '(' after '${name.text}', found ${this.describe(this.pos)}`, this.pos);
    }
    this.pos++;
    if (++this.depth > MAX_DEPTH) this.fail(`expected at most ${MAX_DEPTH} nested distributions, found more`, name.start, name.end);
    const result = family === undefined ? this.mixture() : this.call(family, name);
    this.depth--;
    return result;
  }

  private mixture(): Distribution {
    const components: MixtureComponent[] = [];
    this.skipSpace();
    const first = this.pos;
    let total = 0;
    do {
      const weightWord = this.word();
      const scan = weightWord.quoted ? undefined : scanQuantity(this.text, weightWord.start, weightWord.end);
      if (scan === undefined || !scan.ok || scan.dimension !== 'number') {
        const found = weightWord.end > weightWord.start ? `'${this.text.slice(weightWord.start, weightWord.end)}'` : this.describe(weightWord.start);
        this.failAt(`expected a weight such as 0.95 followed by ':' as in ${MIXTURE_USAGE}, found ${found}`, weightWord.start);
      }
      if (!(scan.value > 0)) this.fail(`expected a positive weight, found '${weightWord.text}'`, weightWord.start, weightWord.end);
      this.skipSpace();
      if (this.text[this.pos] !== ':') {
        this.failAt(`expected ':' after the weight ${weightWord.text}, found ${this.describe(this.pos)}`, this.pos);
      }
      this.pos++;
      components.push({ weight: scan.value, distribution: this.distribution() });
      total += scan.value;
    } while (this.separator('mixture', components[components.length - 1].distribution.toString()));
    if (Math.abs(total - 1) > WEIGHT_TOLERANCE) {
      this.fail(`expected mixture weights summing to 1, found ${Number(total.toPrecision(12))}`, first, this.pos);
    }
    return new Mixture(components);
  }

  private call(family: Family, name: Word): Distribution {
    const values = new Map<string, Argument>();
    let named = false;
    let positional = 0;
    this.skipSpace();
    let more = this.text[this.pos] !== ')';
    if (!more) this.pos++;
    while (more) {
      const first = this.word();
      this.skipSpace();
      let argName: Word | undefined;
      let value = first;
      if (this.text[this.pos] === '=') {
        if (first.quoted || !/^[A-Za-z_]\w*$/.test(first.text)) {
          this.failAt(`expected an argument name before '=', found ${this.describe(first.start)}`, first.start);
        }
        this.pos++;
        argName = first;
        value = this.word();
      }
      if (value.text === '' && !value.quoted) {
        const what = argName === undefined ? 'an argument' : `a value for '${argName.text}'`;
        this.failAt(`expected ${what}, found ${this.describe(value.start)}`, value.start);
      }
      let canonical: string;
      if (argName === undefined) {
        if (named) this.fail(`expected name=value after named arguments, found '${value.text}'`, value.start, value.end);
        const bound = family.positional[positional++];
        if (bound === undefined) {
          const limit = family.positional.length;
          const expected = limit === 0 ? `named arguments as in ${family.usage}` : `at most ${limit} positional argument${limit > 1 ? 's' : ''} as in ${family.usage}`;
          this.fail(`expected ${expected}, found '${value.text}'`, value.start, value.end);
        }
        canonical = bound;
      } else {
        named = true;
        const known = family.names.get(argName.text);
        if (known === undefined) {
          const names = [...family.names.keys()].join(', ');
          this.fail(`expected an argument of ${family.name} (one of ${names}), found '${argName.text}'`, argName.start, argName.end);
        }
        canonical = known;
      }
      if (values.has(canonical)) {
        const at = argName ?? value;
        this.fail(`expected '${canonical}' once, found it again`, at.start, at.end);
      }
      values.set(canonical, { name: argName, value });
      more = this.separator(family.name, this.text.slice((argName ?? value).start, value.end));
    }
    const close = this.pos - 1;
    this.checkForm(family, values, this.text.slice(name.start, this.pos), close);
    return family.build(new CallArgs(this, values));
  }

  /** Exactly one of the family's forms must be given in full, with nothing from another. */
  private checkForm(family: Family, values: ReadonlyMap<string, Argument>, written: string, close: number): void {
    const given = [...values.keys()];
    const fits = (names: readonly string[]): boolean => family.forms.some((form) => names.every((n) => form.includes(n)));
    for (let i = 0; i < given.length; i++) {
      if (!fits(given.slice(0, i + 1))) {
        const clashes = given.slice(0, i).filter((earlier) => !fits([earlier, given[i]]));
        const argument = values.get(given[i]) as Argument;
        const word = argument.name ?? argument.value;
        this.fail(
          `expected ${family.usage}, found '${given[i]}' together with ${clashes.map((c) => `'${c}'`).join(' and ')}`,
          word.start,
          word.end,
        );
      }
    }
    const candidates = family.forms.filter((form) => given.every((n) => form.includes(n)));
    if (!candidates.some((form) => form.every((n) => values.has(n)))) {
      const missing = candidates[0].find((n) => !values.has(n));
      this.fail(`missing argument '${missing}': expected ${family.usage}, found '${written}'`, close, close + 1);
    }
  }

  dimensionOrNumber(): ValueDimension {
    return this.dimension ?? 'number';
  }

  /** Scans a word as a quantity, reporting failures as "expected <expected> for '<name>'". */
  quantity(word: Word, name: string, expected: string): Quantity {
    if (word.quoted) this.fail(`expected ${expected} for '${name}', found a quoted string`, word.start, word.end);
    const scan = scanQuantity(this.text, word.start, word.end);
    if (!scan.ok) {
      this.fail(`expected ${expected} for '${name}', found '${word.text}' (${scan.hint})`, scan.offset, scan.offset + scan.length);
    }
    return scan;
  }

  value(word: Word, name: string, minimum: 'positive' | 'non-negative'): number {
    const known = this.dimension;
    const expected = known === undefined ? `${expectedText('duration')}, or a plain number` : expectedText(known);
    const quantity = this.quantity(word, name, expected);
    const unified = unifyDimension(known, quantity);
    if (!unified.ok) {
      const like = known === undefined || this.options.expect !== undefined ? '' : ' like the other values';
      this.fail(`expected ${expected} for '${name}'${like}, found ${unified.found} '${word.text}'`, word.start, word.end);
    }
    this.dimension = unified.dimension;
    this.checkMinimum(word, name, quantity.value, minimum);
    return quantity.value + 0; // a written -0 becomes 0
  }

  rate(word: Word, name: string): number {
    const known = this.dimension;
    const expected = known === 'duration' ? expectedText('rate') : known === undefined ? `${expectedText('rate')}, or a plain number` : expectedText('number');
    const quantity = this.quantity(word, name, expected);
    const fits =
      quantity.dimension === 'rate' ? known === undefined || known === 'duration' : quantity.dimension === 'number' && (known !== 'duration' || quantity.value === 0);
    if (!fits) this.fail(`expected ${expected} for '${name}', found ${dimensionNoun(quantity.dimension)} '${word.text}'`, word.start, word.end);
    if (quantity.value !== 0 && known === undefined) this.dimension = quantity.dimension === 'rate' ? 'duration' : 'number';
    this.checkMinimum(word, name, quantity.value, 'positive');
    return quantity.value;
  }

  shape(word: Word, name: string, whole: boolean): number {
    const expected = whole ? 'a whole number such as 4' : expectedText('number');
    const quantity = this.quantity(word, name, expected);
    if (quantity.dimension !== 'number') {
      this.fail(`expected ${expected} for '${name}', found ${dimensionNoun(quantity.dimension)} '${word.text}'`, word.start, word.end);
    }
    if (whole && !Number.isInteger(quantity.value)) this.fail(`expected ${expected} for '${name}', found '${word.text}'`, word.start, word.end);
    this.checkMinimum(word, name, quantity.value, 'positive');
    return quantity.value;
  }

  private checkMinimum(word: Word, name: string, value: number, minimum: 'positive' | 'non-negative'): void {
    if (minimum === 'positive' ? value > 0 : value >= 0) return;
    this.fail(`expected a ${minimum} '${name}', found '${word.text}'`, word.start, word.end);
  }

  samples(word: Word): { values: Float64Array; source: string } {
    const path = word.text;
    const { readFile } = this.options;
    if (readFile === undefined) {
      this.fail(`expected a readFile option to read '${path}', found none (the engine does no I/O itself)`, word.start, word.end);
    }
    let contents: string;
    try {
      contents = readFile(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return this.fail(`expected a readable sample file, found that '${path}' cannot be read: ${reason}`, word.start, word.end);
    }
    try {
      const file = readSamples(contents, this.dimension);
      this.dimension = file.dimension;
      return { values: file.values, source: path };
    } catch (error) {
      if (!(error instanceof SampleFileError)) throw error;
      const where = error.line > 0 ? `${path}:${error.line}` : path;
      return this.fail(`in ${where}: ${error.message}`, word.start, word.end);
    }
  }
}

/** Adapts the parser to the typed getters family builders use. */
class CallArgs implements FamilyArgs {
  constructor(
    private readonly parser: Parser,
    private readonly values: ReadonlyMap<string, Argument>,
  ) {}

  private word(name: string): Word {
    const argument = this.values.get(name);
    // Stryker disable next-line StringLiteral: unreachable, checkForm has made sure every argument a builder reads was given
    if (argument === undefined) throw new Error(`internal: argument '${name}' was not checked for`);
    return argument.value;
  }

  dimension(): ValueDimension {
    return this.parser.dimensionOrNumber();
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  text(name: string): string {
    return this.word(name).text;
  }

  value(name: string, minimum: 'positive' | 'non-negative'): number {
    return this.parser.value(this.word(name), name, minimum);
  }

  rate(name: string): number {
    return this.parser.rate(this.word(name), name);
  }

  shape(name: string): number {
    return this.parser.shape(this.word(name), name, false);
  }

  count(name: string): number {
    return this.parser.shape(this.word(name), name, true);
  }

  samples(name: string): { values: Float64Array; source: string } {
    return this.parser.samples(this.word(name));
  }

  fail(name: string, message: string): never {
    const word = this.word(name);
    return this.parser.fail(message, word.start, word.end);
  }
}

/** "; did you mean 'exp'?" for near misses such as `expo`, `exponential` or `lognorm`. */
function suggest(name: string): string {
  const lower = name.toLowerCase();
  const close = FAMILY_NAMES.find((f) => lower.startsWith(f) || f.startsWith(lower) || editDistance(lower, f) <= 2);
  return close === undefined || lower.length < 2 ? '' : `; did you mean '${close}'?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
