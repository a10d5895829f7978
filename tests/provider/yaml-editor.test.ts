import * as assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const EXAMPLE = path.join(ROOT, "examples/yaml-workspace/workspace.yaml");
const THREE_MISTAKES = path.join(ROOT, "tests/fixtures/yaml/three-mistakes.yaml");
const SERVER = require.resolve("yaml-language-server/bin/yaml-language-server");

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
}
interface Message {
  id?: number;
  method?: string;
  params?: { uri?: string; diagnostics?: Diagnostic[]; items?: unknown[] };
  result?: unknown;
}

const SETTINGS = { validate: true, completion: true, hover: true, schemaStore: { enable: false } };

/**
 * The YAML language server that VS Code's YAML extension (and other editors) run, driven over
 * stdio the way an editor drives it: it finds the schema through each file's
 * `# yaml-language-server: $schema=...` line, as it would for a person editing the file.
 */
class Editor {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();
  readonly diagnostics = new Map<string, Diagnostic[]>();

  constructor() {
    this.child = spawn(process.execPath, [SERVER, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (d: Buffer) => this.receive(d));
  }

  private send(m: object): void {
    const text = JSON.stringify({ jsonrpc: "2.0", ...m });
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  private receive(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const m = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (m.id !== undefined && m.method !== undefined) {
        // A request from the server: only workspace/configuration needs an answer with content.
        const items = m.method === "workspace/configuration" ? (m.params?.items ?? []) : undefined;
        this.send({ id: m.id, result: items ? items.map(() => SETTINGS) : null });
      } else if (m.id !== undefined) this.pending.get(m.id)?.(m.result);
      else if (m.method === "textDocument/publishDiagnostics" && m.params?.uri)
        this.diagnostics.set(m.params.uri, m.params.diagnostics ?? []);
    }
  }

  request(method: string, params: object): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  async start(): Promise<void> {
    await this.request("initialize", {
      processId: process.pid,
      rootUri: `file://${ROOT}`,
      capabilities: { workspace: { configuration: true } },
    });
    this.send({ method: "initialized", params: {} });
    this.send({ method: "workspace/didChangeConfiguration", params: { settings: { yaml: SETTINGS } } });
  }

  /** Opens the file and waits for its diagnostics (the server publishes them once it has validated). */
  async open(file: string, atLeast = 0): Promise<Diagnostic[]> {
    const uri = `file://${file}`;
    this.diagnostics.delete(uri);
    const text = fs.readFileSync(file, "utf8");
    this.send({
      method: "textDocument/didOpen",
      params: { textDocument: { uri, languageId: "yaml", version: 1, text } },
    });
    for (let waited = 0; waited < 20_000; waited += 100) {
      const found = this.diagnostics.get(uri);
      if (found && found.length >= atLeast) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    return this.diagnostics.get(uri) ?? [];
  }

  stop(): void {
    this.child.kill();
  }
}

describe("YAML workspaces (in-process): an editor checks and completes the file", function () {
  this.timeout(60_000);
  const editor = new Editor();
  before(() => editor.start());
  after(() => editor.stop());

  it("finds no problem in the example workspace", async () => {
    assert.deepEqual(await editor.open(EXAMPLE), []);
  });

  it("underlines the unknown kind and the unknown property where the loader reports them", async () => {
    const found = (await editor.open(THREE_MISTAKES, 2)).map(
      (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message.split("\n")[0]}`,
    );
    assert.deepEqual(found.sort(), [
      '14:11 Value is not accepted. Valid values: "Volume", "Folder", "Home", "Collection", "VolumeServer", "Grant".',
      "26:7 Property descripton is not allowed.",
    ]);
  });

  it("completes a Folder's fields from the kind's schema", async () => {
    await editor.open(THREE_MISTAKES, 2);
    const line = fs
      .readFileSync(THREE_MISTAKES, "utf8")
      .split("\n")
      .findIndex((l) => l.includes("descripton"));
    const result = (await editor.request("textDocument/completion", {
      textDocument: { uri: `file://${THREE_MISTAKES}` },
      position: { line, character: 6 },
    })) as { items?: { label: string }[] } | { label: string }[];
    const labels = (Array.isArray(result) ? result : (result.items ?? [])).map((i) => i.label);
    for (const field of ["description", "code", "adopt", "deletionPolicy"])
      assert.ok(labels.includes(field), labels.join(", "));
    assert.ok(!labels.includes("volume"), "fields already set are not offered again");
  });
});
