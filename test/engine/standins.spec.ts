/**
 * The engine tier's stand-ins, in process (no CLI, no Go): the providers answer from the same
 * module as the offline plan's mocks, and the stand-in language host starts the SDK's own entry
 * points with the arguments and environment the real host uses.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PlatformMocks } from "../../plan/mocks";
import { ANSWERED_INVOKES, UnansweredInvokeError } from "../../plan/answers";
import { canonicalJson, parseUrn, standInProvider } from "../../engine/standins/provider";
import {
    configEnv, engineAddressFromArgs, EXIT_AFTER_USER_MESSAGE, requiredPackages, runArguments, runResult, typescriptEnv,
} from "../../engine/standins/language-host";
import { REPO_ROOT } from "../../engine/toolchain";

const urnOf = (type: string, name: string, parent = "platform:azure:AksCluster"): string =>
    `urn:pulumi:dev::aks-platform::pulumi:pulumi:Stack$${parent}$${type}::${name}`;

function must<T>(f: ((...a: never[]) => Promise<T>) | undefined, what: string): (...a: unknown[]) => Promise<T> {
    if (!f) throw new Error(`stand-in provider lacks ${what}`);
    return f as unknown as (...a: unknown[]) => Promise<T>;
}

describe("engine stand-in providers", () => {
    const azure = standInProvider({ pkg: "azure-native", version: "3.28.0" });
    const kubernetes = standInProvider({ pkg: "kubernetes", version: "4.34.2" });
    const mocks = new PlatformMocks();

    it("parses the type and name out of a URN with a parent chain", () => {
        const p = parseUrn(urnOf("azure-native:network:PublicIPAddress", "ingress-ip"));
        assert.deepStrictEqual(p, { stack: "dev", project: "aks-platform", type: "azure-native:network:PublicIPAddress", name: "ingress-ip" });
        assert.throws(() => parseUrn("ingress-ip"), /not a Pulumi URN/);
    });

    it("Check echoes the inputs, unknowns and secrets included", async () => {
        const news = { location: "westeurope", publicIpAddressName: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", tags: { a: "b" } };
        const res = await must(azure.check, "check")(urnOf("azure-native:network:PublicIPAddress", "ip"), {}, news);
        assert.deepStrictEqual(res, { inputs: news, failures: [] });
    });

    it("Create returns the same id and state as the offline plan's mocks (one source of answers)", async () => {
        const cases: [string, string, Record<string, unknown>][] = [
            ["azure-native:containerservice:ManagedCluster", "aks", { resourceGroupName: "rg-dev", resourceName: "aks-dev", location: "westeurope", dnsPrefix: "dev", identity: { type: "SystemAssigned" } }],
            ["azure-native:managedidentity:UserAssignedIdentity", "cm-id", { resourceGroupName: "rg-dev", resourceName: "id-cm" }],
            ["azure-native:dns:Zone", "zone", { resourceGroupName: "rg-dev", zoneName: "dev.example.com" }],
            ["kubernetes:core/v1:Namespace", "ns", { metadata: { name: "cert-manager" } }],
            ["kubernetes:helm.sh/v3:Release", "cm", { name: "cert-manager", namespace: "cert-manager" }],
        ];
        for (const [type, name, inputs] of cases) {
            const provider = type.startsWith("azure-native:") ? azure : kubernetes;
            const created = await must(provider.create, "create")(urnOf(type, name), inputs) as { id: string; outs: Record<string, unknown> };
            const mocked = mocks.newResource({ type, name, inputs, provider: undefined, id: undefined, custom: true });
            assert.strictEqual(created.id, mocked.id, type);
            assert.deepStrictEqual(created.outs, mocked.state, type);
        }
    });

    it("Create adds what Azure computes (the outputs a preview sees as unknown)", async () => {
        const created = await must(azure.create, "create")(urnOf("azure-native:managedidentity:UserAssignedIdentity", "cm-id"), { resourceGroupName: "rg", resourceName: "id" }) as { outs: Record<string, unknown> };
        assert.match(String(created.outs.clientId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.strictEqual(created.outs.resourceName, "id");
    });

    it("Invoke answers every function the program calls exactly as the mocks do", async () => {
        const inputs = { resourceGroupName: "rg-dev", resourceName: "aks-dev" };
        for (const token of ANSWERED_INVOKES) {
            const res = await must(azure.invoke, "invoke")(token, inputs) as { outputs: Record<string, unknown> };
            assert.deepStrictEqual(res.outputs, mocks.call({ token, inputs, provider: undefined }));
        }
    });

    it("Invoke of a function nobody answers fails, naming the token and where to add it", async () => {
        await assert.rejects(must(azure.invoke, "invoke")("azure-native:network:getVirtualNetwork", {}), (e: unknown) =>
            e instanceof UnansweredInvokeError && /azure-native:network:getVirtualNetwork/.test(e.message) && /plan\/answers\.ts/.test(e.message));
        assert.throws(() => mocks.call({ token: "azure-native:network:getVirtualNetwork", inputs: {}, provider: undefined }), /offline plan: no answer/);
    });

    it("refuses types and functions of the other package", async () => {
        await assert.rejects(must(azure.check, "check")(urnOf("kubernetes:core/v1:Namespace", "ns"), {}, {}), /belongs to another package/);
        await assert.rejects(must(kubernetes.invoke, "invoke")("azure-native:authorization:getClientConfig", {}), /belongs to another package/);
    });

    it("Diff reports a change only when an input differs from the old state", async () => {
        const diff = must(kubernetes.diff, "diff");
        const urn = urnOf("kubernetes:core/v1:Namespace", "ns");
        assert.deepStrictEqual(await diff("ns", urn, { metadata: { name: "a", labels: { x: "1" } } }, { metadata: { labels: { x: "1" }, name: "a" } }), { changes: false });
        assert.deepStrictEqual(await diff("ns", urn, { metadata: { name: "a" } }, { metadata: { name: "b" } }), { changes: true });
        // The old state carries computed outputs (status) besides the inputs: not a change.
        assert.deepStrictEqual(await diff("ns", urn, { metadata: { name: "a" }, status: {} }, { metadata: { name: "a" } }), { changes: false });
        assert.deepStrictEqual(await diff("ns", urn, { metadata: { name: "a" } }, { metadata: { name: "a" }, spec: {} }), { changes: true });
        // Azure merges computed fields into an input object (identity.principalId): still no change.
        const aks = urnOf("azure-native:containerservice:ManagedCluster", "aks");
        assert.deepStrictEqual(await must(azure.diff, "diff")("id", aks, { identity: { type: "SystemAssigned", principalId: "p" } }, { identity: { type: "SystemAssigned" } }), { changes: false });
        assert.deepStrictEqual(await must(azure.diff, "diff")("id", aks, { identity: { type: "SystemAssigned" }, tags: ["a", "b"] }, { identity: { type: "SystemAssigned" }, tags: ["a"] }), { changes: true });
        assert.strictEqual(canonicalJson({ b: 1, a: [2, { d: 1, c: undefined }] }), '{"a":[2,{"d":1}],"b":1}');
    });
});

describe("engine stand-in language host", () => {
    it("takes the engine address from the positional argument after the flags", () => {
        assert.strictEqual(engineAddressFromArgs(["-tracing", "http://x", "127.0.0.1:5000"]), "127.0.0.1:5000");
        assert.strictEqual(engineAddressFromArgs(["-root=/p", "127.0.0.1:5000"]), "127.0.0.1:5000");
        assert.strictEqual(engineAddressFromArgs([]), undefined);
    });

    it("passes config the way the SDK reads it (namespace:config:name) and rejects a key without namespace", () => {
        assert.deepStrictEqual(JSON.parse(configEnv([["aks-platform:environment", "dev"], ["azure-native:location", "westeurope"]])), {
            "aks-platform:config:environment": "dev",
            "azure-native:config:location": "westeurope",
        });
        assert.throws(() => configEnv([["environment", "dev"]]), /config key "environment" has no namespace/);
    });

    it("builds @pulumi/pulumi/cmd/run's command line in the real host's order", () => {
        const args = runArguments({
            runPath: "/n/run", monitorAddress: "127.0.0.1:1", engineAddress: "127.0.0.1:2", organization: "", project: "aks-platform",
            rootDirectory: "/p", stack: "dev", programDirectory: "/p", dryRun: true, parallel: 16, entryPoint: ".", args: [],
        });
        assert.deepStrictEqual(args, ["/n/run", "--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:2", "--project", "aks-platform",
            "--root-directory", "/p", "--stack", "dev", "--pwd", "/p", "--dry-run", "--parallel", "16", "."]);
        assert.ok(!runArguments({
            runPath: "r", monitorAddress: "m", engineAddress: "e", organization: "", project: "p", rootDirectory: "", stack: "s",
            programDirectory: "d", dryRun: false, parallel: 1, entryPoint: "", args: ["x"],
        }).includes("--dry-run"));
    });

    it("runs TypeScript unless the project turns it off", () => {
        assert.deepStrictEqual(typescriptEnv({}), { PULUMI_NODEJS_TYPESCRIPT: "true" });
        assert.deepStrictEqual(typescriptEnv({ typescript: false }), {});
        assert.deepStrictEqual(typescriptEnv({ tsconfig: "tsconfig.build.json" }), { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.build.json" });
    });

    it("maps node's exit to the engine's answer: 32 bails quietly, others name the code", () => {
        assert.deepStrictEqual(runResult(0, null), { error: "", bail: false });
        assert.deepStrictEqual(runResult(EXIT_AFTER_USER_MESSAGE, null), { error: "", bail: true });
        assert.deepStrictEqual(runResult(1, null), { error: "Program exited with non-zero exit code: 1", bail: false });
        assert.match(runResult(null, "SIGKILL").error, /SIGKILL/);
    });

    it("finds the resource packages the program depends on, with their versions", () => {
        const found = requiredPackages(REPO_ROOT);
        const version = (pkg: string): string => (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", "@pulumi", pkg, "package.json"), "utf8")) as { version: string }).version;
        assert.deepStrictEqual(found.filter((p) => p.name === "azure-native" || p.name === "kubernetes").map((p) => `${p.name}@${p.version}`),
            [`azure-native@${version("azure-native")}`, `kubernetes@${version("kubernetes")}`]);
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "langhost-"));
        try {
            assert.deepStrictEqual(requiredPackages(empty), []);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});
