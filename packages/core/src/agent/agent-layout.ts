/**
 * Where the agent lives on a node (packages/agent/README.md describes the whole layout):
 * `<root>/<id>/corral-agent` per version, `<root>/current` a symlink switched atomically.
 * The root is a parameter only so tests against a local sshd stay out of the host's /var/lib.
 */
const DEFAULT_AGENT_ROOT = "/var/lib/corral-agent";

export interface AgentLocation {
  root?: string;
}

export function agentRoot(location: AgentLocation = {}): string {
  return location.root ?? DEFAULT_AGENT_ROOT;
}

function currentAgentPath(location: AgentLocation = {}): string {
  return `${agentRoot(location)}/current/corral-agent`;
}

/** The argv that runs an agent command: python3 -I ignores PYTHON* variables and user site. */
export function agentArgv(command: string, args: readonly string[], location: AgentLocation = {}) {
  return ["python3", "-I", currentAgentPath(location), command, ...args];
}
