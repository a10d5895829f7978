import * as path from "node:path";
import { PulumiStack, REPO_ROOT, initAccsynStack } from "../helpers/pulumi";
import { pySession, runPython } from "../helpers/python";
import { type TestServer, startTestServer } from "../helpers/server";

/** The program that declares whatever the stack config `e2e:resources` lists (tests/fixtures/workspace). */
const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "workspace");

export type Kind = "Volume" | "Folder" | "Home" | "Collection" | "VolumeServer" | "Grant";

/** One resource of the fixture program; a string arg "@name" refers to the resource of that name. */
export interface Decl {
  type: Kind;
  name: string;
  args: Record<string, unknown>;
  dependsOn?: string[];
}

/** A stack of the fixture program: the declared resources are its config. */
export class WorkspaceStack extends PulumiStack {
  async declare(decls: Decl[]): Promise<void> {
    await this.setConfig("e2e:resources", JSON.stringify(decls));
  }

  /** The accsyn id of every declared resource, by resource name (the program's `ids` output). */
  async ids(): Promise<Record<string, string>> {
    return (await this.outputs()).ids as Record<string, string>;
  }
}

export interface Engine {
  readonly server: TestServer;
  readonly admin: { code: string; apiKey: string };
  /**
   * A new stack with its own state backend, pointed at this file's accsyn-local as the admin and
   * declaring `decls`; removed after the scenario. `apiKey: false` leaves the key out of its config
   * (and out of the provider's environment).
   */
  stack(name: string, decls: Decl[], opts?: { apiKey?: false }): Promise<WorkspaceStack>;
  /** Runs a snippet with the official Python client logged in as the admin (helpers/python.ts). */
  py(script: string): Promise<unknown>;
}

/**
 * Registers the hooks of an engine test file: one accsyn-local for the whole file (started once,
 * on a fresh seed before every scenario so each `it` also passes alone under --grep), and the
 * stacks a scenario made removed after it.
 */
export function useEngine(): Engine {
  let server: TestServer | undefined;
  const made: PulumiStack[] = [];
  const running = (): TestServer => {
    if (!server) throw new Error("accsyn-local is not running (useEngine() must be called inside describe)");
    return server;
  };

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    await running().reset();
  });
  afterEach(async () => {
    for (const s of made.splice(0)) await s.removeStack();
  });
  after(async () => {
    await server?.close();
  });

  return {
    get server() {
      return running();
    },
    get admin() {
      return running().credentials("admin");
    },
    async stack(name, decls, opts = {}) {
      const admin = running().credentials("admin");
      const resources = JSON.stringify(decls);
      if (opts.apiKey === false) {
        const s = new WorkspaceStack(FIXTURE, name, { env: { ACCSYN_API_KEY: "" } });
        made.push(s);
        await s.init({
          "accsyn:endpoint": running().url,
          "accsyn:workspace": "demo",
          "accsyn:apiUser": admin.code,
          "e2e:resources": resources,
        });
        return s;
      }
      const s = new WorkspaceStack(FIXTURE, name);
      made.push(s);
      await initAccsynStack(s, running(), admin, { "e2e:resources": resources });
      return s;
    },
    py(script) {
      return runPython(script, pySession(running(), running().credentials("admin")));
    },
  };
}

/** The rules of the vendor grant in the reference workspace. */
export interface Rule {
  path: string;
  read?: boolean;
  write?: boolean;
}
export const VENDOR_RULES: Rule[] = [
  { path: "/", read: true },
  { path: "upload", write: true },
];

export const VOLUME: Decl = {
  type: "Volume",
  name: "vol",
  args: {
    name: "E2E Projects",
    code: "e2e_projects",
    paths: { linux: "/mnt/e2e", windows: "E:" },
    server: "hq-server",
  },
};

export function folder(over: { path?: string; name?: string; deletionPolicy?: string } = {}): Decl {
  return {
    type: "Folder",
    name: "show",
    args: {
      name: over.name ?? "Show",
      code: "e2e_show",
      volume: "@vol",
      path: over.path ?? "shows/show",
      ...(over.deletionPolicy ? { deletionPolicy: over.deletionPolicy } : {}),
    },
  };
}

export const COLLECTION: Decl = {
  type: "Collection",
  name: "coll",
  args: {
    name: "Onboarding",
    code: "e2e_onboarding",
    files: ["volume=e2e_projects/docs/a.pdf", "folder=e2e_show/b.mov"],
  },
  dependsOn: ["show"],
};

export function grant(rules: Rule[] = VENDOR_RULES): Decl {
  return {
    type: "Grant",
    name: "vendor",
    args: { user: "standard@example.com", share: "@show", rules, notify: false },
  };
}

/** One resource of every kind, the workspace the lifecycle scenarios walk through. */
export function everyKind(): Decl[] {
  return [
    VOLUME,
    { type: "VolumeServer", name: "vol-sto", args: { volume: "@vol", server: "sto-server" } },
    folder(),
    // Destroy retains homes (accsyn cannot deactivate them), so the next up takes the home back with adopt.
    {
      type: "Home",
      name: "home",
      args: { user: "employee@example.com", description: "employee home", volume: "@vol", adopt: true },
    },
    COLLECTION,
    grant(),
  ];
}
