import { AccsynClient, type FindOptions, type Query, httpErrorFor } from "pulumi-accsyn/client";

/**
 * A client whose service refuses a find of every ACL at once (as accsyn documents `acl/find`: with a
 * target), so callers must fall back to asking share by share.
 */
export class NoBulkAcls extends AccsynClient {
  override findAll<T extends Parameters<AccsynClient["findAll"]>[0]>(
    et: T,
    where?: Query,
    opts?: FindOptions,
  ): ReturnType<AccsynClient["findAll"]> {
    if (et === "Acl" && where === undefined) {
      return Promise.reject(
        httpErrorFor("acl/find needs a target", {
          operation: "acl/find",
          status: 400,
          serverMessage: "acl/find needs a target",
          retryable: false,
        }),
      );
    }
    return super.findAll(et, where, opts) as ReturnType<AccsynClient["findAll"]>;
  }
}
