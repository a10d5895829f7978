import type { KindFields } from "./descriptor";
import { SERVER } from "./server";

/** Desktop apps (clients of type 0) have a server's attributes; they come from the seed only. */
export const APP: KindFields = { kind: "app", fields: SERVER.fields };
