/**
 * A throwaway HTTP server for the client's unit tests: records every request and answers from a script.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Answer =
  | { status: number; body: unknown; headers?: Record<string, string>; raw?: false }
  | { status: number; raw: true; text: string; headers?: Record<string, string> }
  | { destroy: true };

export type Responder = (req: Recorded, index: number) => Answer | Promise<Answer>;

export interface Recorder {
  url: string;
  port: number;
  requests: Recorded[];
  respond: Responder;
  close(): Promise<void>;
}

export const LOGIN_OK: Answer = {
  status: 200,
  body: { result: { role: "admin", id: "0123456789abcdef01234567", session_id: "sess-1" } },
};

/** Starts a recorder; by default login succeeds and every event answers `{"result": []}`. */
export async function startRecorder(respond?: Responder): Promise<Recorder> {
  const rec: Recorder = {
    url: "",
    port: 0,
    requests: [],
    respond:
      respond ??
      ((r) => (r.url.startsWith("/api/v3/api/login") ? LOGIN_OK : { status: 200, body: { result: [] } })),
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const index = rec.requests.length;
      rec.requests.push(r);
      void Promise.resolve(rec.respond(r, index)).then((a) => {
        if ("destroy" in a) {
          req.socket.destroy();
          return;
        }
        const text = a.raw ? a.text : JSON.stringify(a.body);
        res.writeHead(a.status, { "content-type": "application/json", ...(a.headers ?? {}) });
        res.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  rec.port = port;
  rec.url = `http://127.0.0.1:${port}`;
  rec.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return rec;
}

/** The envelope of a recorded /api/v3/event request. */
export function envelopeOf(r: Recorded): Record<string, unknown> {
  const q = r.url.indexOf("?");
  const raw = r.body !== "" ? r.body : decodeURIComponent(r.url.slice(q + 1));
  return JSON.parse(raw) as Record<string, unknown>;
}
