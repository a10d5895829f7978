// undici's Pool module on its own (transport.ts says why): the class undici's index exports as `Pool`.
declare module "undici/lib/dispatcher/pool" {
  import { Pool } from "undici";
  export = Pool;
}
