// XML text for the XML report formats (JUnit, checkstyle), built by fast-xml-parser's builder so escaping is the
// library's job. What the library does not do, done here for every value: characters XML 1.0 forbids (most
// C0 controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD, since a single one makes the whole report
// unreadable; messages quote user input (Dockerfile text, file names), so they can carry anything.
import { XMLBuilder } from 'fast-xml-parser'

// With the u flag a paired surrogate is one code point, so the surrogate range only matches lone halves.
// eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu

/** The text with every character XML 1.0 cannot carry replaced by U+FFFD. */
export const xmlSafe = (text: string): string => text.replace(FORBIDDEN, '\uFFFD')

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  // The default writes an attribute whose value is "true" bare (`<x a>`), which is not XML.
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
  tagValueProcessor: (_name, value) => xmlSafe(String(value)),
  // A parser folds line breaks and tabs in an attribute to spaces; folding them here writes what is read.
  attributeValueProcessor: (_name, value) => xmlSafe(String(value)).replace(/[\t\n\r]/g, ' '),
})

/**
 * The document with an XML declaration, one element per line, ending in a newline. Attributes are keys
 * starting with `@_`, an element's text is `#text`, and an array is the element repeated.
 */
export function renderXml (root: Record<string, unknown>): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, ...root }) as string
}
