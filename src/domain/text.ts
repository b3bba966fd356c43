// Text that came from input (files, command line) made safe to print: terminal control characters
// could move the cursor, recolour the screen or fake a line of our own output.

/** C0 controls (newline and tab included), DEL and C1 controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Each control character of `s` as a visible \u escape, on one line. */
export function printable(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
