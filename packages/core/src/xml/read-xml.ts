import { XMLParser, XMLValidator } from "fast-xml-parser";
import { AppError } from "../errors.ts";

/**
 * Parses tool XML with attributes as plain properties. Elements named in `lists` are always
 * arrays (one child must not turn into an object), so parsers can iterate without guessing.
 * Values are exactly what the tool wrote: character references decoded (crm_mon writes every
 * non-ASCII character as &#xFC;), nothing trimmed (a path may end with a space).
 */
export function readXml(
  xml: string,
  what: string,
  lists: readonly string[],
): Record<string, unknown> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new AppError(
      "PARSE_ERROR",
      `${what} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}).`,
    );
  }
  const listed = new Set(lists);
  const parser = new XMLParser({
    ignoreAttributes: false,
    // Attributes and child elements can share a name (<resource-agent version="1.1"> holds
    // <version>1.0</version>): the prefix keeps them apart.
    attributeNamePrefix: "@",
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    // Decodes numeric character references too, not only the five XML entities.
    htmlEntities: true,
    isArray: (name) => listed.has(name),
  });
  return parser.parse(xml) as Record<string, unknown>;
}

export type XmlElement = Record<string, unknown>;

export function element(value: unknown): XmlElement | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as XmlElement)
    : undefined;
}

export function elements(value: unknown): XmlElement[] {
  return Array.isArray(value) ? value.map(element).filter((item) => item !== undefined) : [];
}

export function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const node = element(value);
  return typeof node?.["#text"] === "string" ? node["#text"] : undefined;
}

/** The text of each element of a list (elements with only text parse as plain strings). */
export function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.map(text).filter((item) => item !== undefined) : [];
}

export function attr(node: XmlElement | undefined, name: string): string | undefined {
  const value = node?.[`@${name}`];
  return typeof value === "string" ? value : undefined;
}

export function flag(node: XmlElement | undefined, name: string): boolean {
  const value = attr(node, name);
  return value === "true" || value === "1";
}
