/**
 * What becomes of the location constraint a move writes: cleared once the VM is there (`pcs
 * resource move`, the default: Pacemaker may move it again as it sees fit), or kept
 * (`pcs resource move-with-constraint`) until an operator clears it, or for a lifetime (an
 * ISO 8601 duration, after which Pacemaker ignores it). Browser-safe.
 */
export const MOVE_CONSTRAINT_MODES = ["clear", "keep", "PT1H", "PT8H", "P1D"] as const;
export type MoveConstraintMode = (typeof MOVE_CONSTRAINT_MODES)[number];
