export { type ReplaceHostKeyInput, replaceHostKeyInput } from "@corral/core/schemas";
