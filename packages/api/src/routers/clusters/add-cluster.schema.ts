export { type AddClusterInput, addClusterInput } from "@corral/core/schemas";
