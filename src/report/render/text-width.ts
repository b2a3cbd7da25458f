/**
 * Width of a line of text in DejaVu Sans, estimated from character classes (within a few per cent of the
 * font's advance widths for the Latin text charts show). Used to size margins and lay out legends so
 * labels are not clipped in the PNG, where DejaVu Sans is the font.
 */

const NARROW = new Set([...".,:;'|!il()[]{}jfIt `"]);
const WIDE = new Set([...'mwMW@%']);
const UPPER = /[A-Z]/;
const DIGIT = /[0-9]/;

/** Estimated rendered width in pixels of `text` at `fontSize` pixels. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += 0.32;
    else if (NARROW.has(ch)) em += 0.34;
    else if (WIDE.has(ch)) em += 0.95;
    else if (UPPER.test(ch)) em += 0.72;
    else if (DIGIT.test(ch)) em += 0.64;
    else if (ch.codePointAt(0)! > 0x2000) em += 0.8;
    else em += 0.6;
  }
  return em * fontSize;
}

/** `text` cut with an ellipsis so that it fits `maxWidth` pixels. */
export function fitText(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

/**
 * `text` shortened in the middle to fit `maxWidth` (`ingress-nginx/ingress-nginx-controller-85-jv6t8` ->
 * `ingress-nginx/ingr…ller-85-jv6t8`): both ends kept, where names differ (namespace, pod suffix).
 */
export function fitTextMiddle(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  let head = Math.ceil(chars.length / 2);
  let tail = chars.length - head;
  const fits = (): boolean => textWidth(`${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`, fontSize) <= maxWidth;
  while (head + tail > 1 && !fits()) {
    // Keep a little more of the end: pods of one workload differ in their last characters.
    if (head > tail * 0.8) head--;
    else tail--;
  }
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** `text` broken into lines no wider than `maxWidth` pixels, at spaces (a word wider than a line is cut). */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (textWidth(next, fontSize) <= maxWidth || line === '') line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => fitText(l, fontSize, maxWidth));
}
