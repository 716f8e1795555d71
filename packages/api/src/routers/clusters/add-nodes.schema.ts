export { type AddNodesInput, addNodesInput } from "@corral/core/schemas";
