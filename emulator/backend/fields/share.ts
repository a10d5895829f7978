import type { KindFields } from "./descriptor";
import { shareFields } from "./common";

/** `share` = any share kind: edits take these (plus the actual kind's own fields); create names a kind. */
export const SHARE: KindFields = {
  kind: "share",
  fields: shareFields({ nameRequired: false, creatable: false }),
};
