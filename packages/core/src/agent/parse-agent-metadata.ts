import { AppError } from "../errors.ts";
import { attr, element, elements, flag, readXml, text, type XmlElement } from "../xml/read-xml.ts";

export interface AgentParameter {
  name: string;
  /** "string", "boolean", "integer", ... as the agent declares it. */
  type: string;
  default: string | null;
  required: boolean;
  unique: boolean;
  shortdesc: string;
  longdesc: string;
  deprecated: boolean;
}

export interface AgentAction {
  name: string;
  timeout: string | null;
  interval: string | null;
}

export interface AgentMetadata {
  name: string;
  version: string | null;
  shortdesc: string;
  longdesc: string;
  parameters: AgentParameter[];
  actions: AgentAction[];
}

/** Reads an OCF resource agent's meta-data XML (ra-api-1.dtd). */
export function parseAgentMetadata(xml: string): AgentMetadata {
  const root = element(
    readXml(xml, "resource agent metadata", ["parameter", "action"])["resource-agent"],
  );
  if (!root) {
    throw new AppError("PARSE_ERROR", "resource agent metadata has no <resource-agent> element.");
  }
  return {
    name: attr(root, "name") ?? "",
    version: text(root.version)?.trim() ?? null,
    shortdesc: text(root.shortdesc)?.trim() ?? "",
    longdesc: text(root.longdesc)?.trim() ?? "",
    parameters: elements(element(root.parameters)?.parameter).map(readParameter),
    actions: elements(element(root.actions)?.action).map((action) => ({
      name: attr(action, "name") ?? "",
      timeout: attr(action, "timeout") ?? null,
      interval: attr(action, "interval") ?? null,
    })),
  };
}

function readParameter(parameter: XmlElement): AgentParameter {
  const content = element(parameter.content);
  return {
    name: attr(parameter, "name") ?? "",
    type: attr(content, "type") ?? "string",
    default: attr(content, "default") ?? null,
    required: flag(parameter, "required"),
    unique: flag(parameter, "unique"),
    shortdesc: text(parameter.shortdesc)?.trim() ?? "",
    longdesc: text(parameter.longdesc)?.trim() ?? "",
    deprecated: parameter.deprecated !== undefined || flag(parameter, "deprecated"),
  };
}
