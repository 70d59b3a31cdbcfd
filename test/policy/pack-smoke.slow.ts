/**
 * Smoke test of the installed policy pack, started the way the Pulumi CLI starts it: the CLI runs the
 * nodejs SDK's `pulumi-analyzer-policy` shim in the pack's folder (pulumi/pulumi sdk/nodejs/dist/
 * pulumi-analyzer-policy: `node $(require.resolve('@pulumi/pulumi/cmd/run-policy-pack')) <engine> <pack>`;
 * pkg/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer), which registers ts-node with type checking
 * and loads the pack, whose PolicyPack prints the port of its gRPC Analyzer server. Over gRPC we read
 * its info and analyze the dev stack, clean and with one mistake.
 *
 * Slow (the pack is type-checked on start, 7-15 s here), so not in `npm test`; it needs the pack's own
 * install (`npm ci --prefix policy-pack`). Run it with:
 *   npm run test:slow   (also run by .ci/run)
 */
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type { AnalyzeResponse, AnalyzeStackRequest, AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import { stackRequest } from "../../bench/policy.bench";
import { policies } from "../../policy-pack/rules";
import { stackResources } from "./stacks";

const PACK = path.join(__dirname, "..", "..", "policy-pack");

/** The shim's `require.resolve('@pulumi/pulumi/cmd/run-policy-pack')`, from the pack's folder. */
function runPolicyPackScript(): string {
    if (!fs.existsSync(path.join(PACK, "node_modules", "@pulumi", "pulumi"))) {
        throw new Error(`the policy pack is not installed: run npm ci --prefix policy-pack (no ${path.join(PACK, "node_modules")})`);
    }
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK] });
}

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => { call(req, (err, res) => (err ? reject(err) : resolve(res))); });
}

describe("policy pack smoke test: started as the Pulumi CLI starts it, analyzing a stack over gRPC", function () {
    this.timeout(180_000);
    let pack: ChildProcess | undefined;
    let client: AnalyzerClient;
    let stderr = "";

    before(async () => {
        const script = runPolicyPackScript();
        // The engine address the CLI passes first; the pack serves without calling it back.
        pack = spawn(process.execPath, [script, "127.0.0.1:1", "."], { cwd: PACK, stdio: ["ignore", "pipe", "pipe"] });
        pack.stderr?.on("data", (d: Buffer) => { stderr += d.toString(); });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            pack?.stdout?.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            pack?.on("exit", (code) => reject(new Error(`the pack exited (${String(code)}) before serving:\n${stderr}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    it("serves the pack's info: its name and every rule", async () => {
        const info = await unary<Empty, AnalyzerInfo>((r, cb) => client.getAnalyzerInfo(r, cb), new Empty());
        assert.equal(info.getName(), "aks-platform");
        assert.deepEqual(info.getPoliciesList().map((p) => p.getName()).sort(), policies.map((p) => p.name).sort());
    });

    it("finds nothing on the dev stack and the missing default deny when it is removed", async () => {
        const analyze = (req: AnalyzeStackRequest) => unary<AnalyzeStackRequest, AnalyzeResponse>((r, cb) => client.analyzeStack(r, cb), req);
        const dev = await stackResources("dev");
        const clean = await analyze(stackRequest(dev));
        assert.deepEqual(clean.getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage()}`), [], stderr);
        const broken = dev.filter((r) => !((r.props.metadata as { name?: string; namespace?: string } | undefined)?.name === "default-deny" && (r.props.metadata as { namespace?: string }).namespace === "cert-manager"));
        const found = (await analyze(stackRequest(broken))).getDiagnosticsList().map((d) => `${d.getPolicyname()}: ${d.getMessage()}`);
        // The SDK prefixes each message with the rule's description (server.js makeReportViolationFun).
        assert.ok(found.some((m) => /^namespace-default-deny: [\s\S]*Namespace cert-manager [\s\S]*has no default-deny NetworkPolicy/.test(m)), found.join("\n"));
    });
});
