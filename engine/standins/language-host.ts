/**
 * Stand-in `pulumi-language-nodejs` language host, used ONLY when the real one cannot be built
 * (engine/README.md: the Go module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
 * is not served by the module proxy this project can reach). It does what the real host's Run and
 * RunPlugin do for this project, re-implemented from reading pulumi/pulumi
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go: start the SDK's own entry points with node.
 *
 * - Run: `node @pulumi/pulumi/cmd/run` with the engine's monitor address, the stack's config in
 *   PULUMI_CONFIG (keys rewritten `ns:config:name`, as the real host does) and PULUMI_NODEJS_TYPESCRIPT
 *   from the project's runtime options. Exit code 32 means "the program already told the user":
 *   bail without another message.
 * - RunPlugin (policy packs): `node @pulumi/pulumi/cmd/run-policy-pack <args> <packDir>` in the
 *   pack's folder, its stdout/stderr streamed back to the engine.
 * - GetRequiredPackages: the packages in node_modules whose package.json says `pulumi.resource: true`.
 *
 * Differences from the real host (documented in engine/README.md): no monitor proxy and no sync
 * pipes (node talks to the engine's monitor directly, as an Automation API inline program does);
 * no policy-pack config proxy (PULUMI_NODEJS_STACK etc. are not set for the pack; this pack reads
 * no stack config); no dependency installation, debugging, code generation or packing.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import * as langrpc from "@pulumi/pulumi/proto/language_grpc_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import { version as sdkVersion } from "@pulumi/pulumi/package.json";

/** The real host's exit code for "the program already showed an actionable message" (main.go). */
export const EXIT_AFTER_USER_MESSAGE = 32;

/** The engine address is the host's one positional argument; flags (`-tracing X`, `-root=X`) come first. */
export function engineAddressFromArgs(argv: readonly string[]): string | undefined {
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a.startsWith("-")) {
            if (!a.includes("=") && a !== "-version" && a !== "--version") i++; // `-flag value`
            continue;
        }
        positional.push(a);
    }
    return positional[0];
}

/** PULUMI_CONFIG as the SDK reads it: `<namespace>:config:<name>` keys. */
export function configEnv(config: ReadonlyMap<string, string> | Iterable<[string, string]>): string {
    const out: Record<string, string> = {};
    for (const [key, value] of config) {
        const i = key.indexOf(":");
        if (i <= 0) throw new Error(`config key ${JSON.stringify(key)} has no namespace`);
        const name = key.slice(i + 1).replace(/^config:/, "");
        out[`${key.slice(0, i)}:config:${name}`] = value;
    }
    return JSON.stringify(out);
}

export interface RunArgs {
    runPath: string;
    monitorAddress: string;
    engineAddress: string;
    organization: string;
    project: string;
    rootDirectory: string;
    stack: string;
    programDirectory: string;
    dryRun: boolean;
    parallel: number;
    entryPoint: string;
    args: readonly string[];
}

/** The command line of `@pulumi/pulumi/cmd/run`, in the real host's order (constructArguments). */
export function runArguments(r: RunArgs): string[] {
    const args = [r.runPath];
    const maybe = (flag: string, value: string): void => { if (value !== "") args.push(`--${flag}`, value); };
    maybe("monitor", r.monitorAddress);
    maybe("engine", r.engineAddress);
    maybe("organization", r.organization);
    maybe("project", r.project);
    maybe("root-directory", r.rootDirectory);
    maybe("stack", r.stack);
    maybe("pwd", r.programDirectory);
    if (r.dryRun) args.push("--dry-run");
    maybe("parallel", String(r.parallel));
    args.push(r.entryPoint || ".", ...r.args);
    return args;
}

/** Environment added for TypeScript programs (runtime options `typescript`, default true, and `tsconfig`). */
export function typescriptEnv(options: Record<string, unknown>): Record<string, string> {
    const env: Record<string, string> = {};
    if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof options.tsconfig === "string" && options.tsconfig !== "") env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
    return env;
}

/** What the engine is told when node exits: nothing, a bail, or the exit code. */
export function runResult(code: number | null, signal: NodeJS.Signals | null): { error: string; bail: boolean } {
    if (code === 0) return { error: "", bail: false };
    if (code === EXIT_AFTER_USER_MESSAGE) return { error: "", bail: true };
    if (code === null) return { error: `Program exited unexpectedly: signal ${signal ?? "unknown"}`, bail: false };
    return { error: `Program exited with non-zero exit code: ${code}`, bail: false };
}

export interface RequiredPackage { name: string; version: string; server?: string }

/** Resource packages the program depends on: node_modules packages whose package.json has `pulumi.resource: true`. */
export function requiredPackages(programDirectory: string): RequiredPackage[] {
    const found = new Map<string, RequiredPackage>();
    const modules = path.join(programDirectory, "node_modules");
    const dirs: string[] = [];
    for (const entry of fs.existsSync(modules) ? fs.readdirSync(modules) : []) {
        if (entry.startsWith("@")) {
            for (const sub of fs.readdirSync(path.join(modules, entry))) dirs.push(path.join(modules, entry, sub));
        } else if (!entry.startsWith(".")) {
            dirs.push(path.join(modules, entry));
        }
    }
    for (const dir of dirs) {
        const file = path.join(dir, "package.json");
        if (!fs.existsSync(file)) continue;
        const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { pulumi?: { resource?: boolean; name?: string; version?: string; server?: string } };
        const p = pkg.pulumi;
        if (p?.resource === true && typeof p.name === "string" && typeof p.version === "string") {
            found.set(p.name, { name: p.name, version: p.version, ...(p.server ? { server: p.server } : {}) });
        }
    }
    return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function resolveFrom(dir: string, mod: string): string {
    try {
        return require.resolve(mod, { paths: [dir] });
    } catch {
        throw new Error(`It looks like the Pulumi SDK has not been installed: ${mod} cannot be resolved from ${dir}. Run npm install there.`);
    }
}

function structToRecord(s: { toJavaScript(): Record<string, unknown> } | undefined): Record<string, unknown> {
    return s ? s.toJavaScript() : {};
}

function envRecord(list: readonly string[]): Record<string, string> {
    const env: Record<string, string> = {};
    for (const kv of list) {
        const i = kv.indexOf("=");
        if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    return env;
}

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

function unimplemented(name: string): (call: unknown, callback: (err: grpc.ServiceError | null) => void) => void {
    return (_call, callback) => callback({ code: grpc.status.UNIMPLEMENTED, details: `stand-in language host: ${name} is not implemented`, message: name, name: "Error", metadata: new grpc.Metadata() });
}

function serve(initialEngineAddress: string | undefined): void {
    let engineAddress = initialEngineAddress ?? "";

    const handshake: Unary<langproto.LanguageHandshakeRequest, langproto.LanguageHandshakeResponse> = (call, callback) => {
        engineAddress = call.request.getEngineAddress();
        callback(null, new langproto.LanguageHandshakeResponse());
    };
    const getPluginInfo: Unary<unknown, plugproto.PluginInfo> = (_call, callback) => {
        const info = new plugproto.PluginInfo();
        info.setVersion(`${sdkVersion}-standin`);
        callback(null, info);
    };
    const getRequiredPackages: Unary<langproto.GetRequiredPackagesRequest, langproto.GetRequiredPackagesResponse> = (call, callback) => {
        const res = new langproto.GetRequiredPackagesResponse();
        const dir = call.request.getInfo()?.getProgramDirectory() ?? process.cwd();
        res.setPackagesList(requiredPackages(dir).map((p) => {
            const dep = new plugproto.PackageDependency();
            dep.setKind("resource");
            dep.setName(p.name);
            dep.setVersion(p.version);
            if (p.server) dep.setServer(p.server);
            return dep;
        }));
        callback(null, res);
    };
    const run: Unary<langproto.RunRequest, langproto.RunResponse> = (call, callback) => {
        const req = call.request;
        const res = new langproto.RunResponse();
        try {
            const info = req.getInfo();
            const programDirectory = info?.getProgramDirectory() || req.getPwd();
            const options = structToRecord(info?.getOptions());
            const args = runArguments({
                runPath: resolveFrom(programDirectory, "@pulumi/pulumi/cmd/run"),
                monitorAddress: req.getMonitorAddress(),
                engineAddress,
                organization: req.getOrganization(),
                project: req.getProject(),
                rootDirectory: info?.getRootDirectory() ?? "",
                stack: req.getStack(),
                programDirectory,
                dryRun: req.getDryrun(),
                parallel: req.getParallel(),
                entryPoint: info?.getEntryPoint() ?? ".",
                args: req.getArgsList(),
            });
            const nodeArgs = typeof options.nodeargs === "string" && options.nodeargs !== "" ? options.nodeargs.split(/\s+/) : [];
            const child = spawn(process.execPath, [...nodeArgs, ...args], {
                env: {
                    ...process.env,
                    PULUMI_CONFIG: configEnv(req.getConfigMap().entries()),
                    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
                    ...typescriptEnv(options),
                },
                stdio: ["ignore", "pipe", "pipe"],
            });
            child.stdout.pipe(process.stdout);
            child.stderr.pipe(process.stderr);
            child.on("error", (e) => {
                res.setError(`Problem executing program (could not run language executor): ${e.message}`);
                callback(null, res);
            });
            child.on("close", (code, signal) => {
                const r = runResult(code, signal);
                res.setError(r.error);
                res.setBail(r.bail);
                callback(null, res);
            });
        } catch (e) {
            res.setError(e instanceof Error ? e.message : String(e));
            callback(null, res);
        }
    };
    const runPlugin = (call: grpc.ServerWritableStream<langproto.RunPluginRequest, langproto.RunPluginResponse>): void => {
        const req = call.request;
        const send = (fill: (r: langproto.RunPluginResponse) => void): void => {
            const r = new langproto.RunPluginResponse();
            fill(r);
            call.write(r);
        };
        const fail = (message: string): void => {
            call.emit("error", { code: grpc.status.UNKNOWN, details: message, message });
        };
        try {
            const info = req.getInfo();
            const dir = info?.getProgramDirectory() || req.getPwd();
            const options = structToRecord(info?.getOptions());
            const analyzer = req.getKind() === "analyzer";
            const runPath = resolveFrom(dir, analyzer ? "@pulumi/pulumi/cmd/run-policy-pack" : "@pulumi/pulumi/cmd/run-plugin");
            const nodeArgs = typeof options.nodeargs === "string" && options.nodeargs !== "" ? options.nodeargs.split(/\s+/) : [];
            // The real host puts the pack's folder last for policy packs and first for other plugins.
            const args = analyzer ? [runPath, ...nodeArgs, ...req.getArgsList(), dir] : [runPath, ...nodeArgs, dir, ...req.getArgsList()];
            const env = req.getEnvList().length > 0 ? envRecord(req.getEnvList()) : { ...process.env };
            const child = spawn(process.execPath, args, {
                cwd: analyzer ? dir : req.getPwd() || dir,
                env: { ...env, ...typescriptEnv(options) },
                stdio: ["ignore", "pipe", "pipe"],
            });
            child.stdout.on("data", (chunk: Buffer) => send((r) => r.setStdout(new Uint8Array(chunk))));
            child.stderr.on("data", (chunk: Buffer) => send((r) => r.setStderr(new Uint8Array(chunk))));
            child.on("error", (e) => fail(`Problem executing plugin program (could not run language executor): ${e.message}`));
            child.on("close", (code) => {
                send((r) => r.setExitcode(code ?? 1));
                call.end();
            });
            call.on("cancelled", () => child.kill("SIGINT"));
        } catch (e) {
            fail(e instanceof Error ? e.message : String(e));
        }
    };

    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    server.addService(langrpc.LanguageRuntimeService, {
        handshake,
        getPluginInfo,
        getRequiredPackages,
        run,
        runPlugin,
        getRequiredPlugins: unimplemented("GetRequiredPlugins"),
        installDependencies: unimplemented("InstallDependencies"),
        runtimeOptionsPrompts: unimplemented("RuntimeOptionsPrompts"),
        template: unimplemented("Template"),
        about: unimplemented("About"),
        getProgramDependencies: unimplemented("GetProgramDependencies"),
        generateProgram: unimplemented("GenerateProgram"),
        generateProject: unimplemented("GenerateProject"),
        generatePackage: unimplemented("GeneratePackage"),
        pack: unimplemented("Pack"),
        link: unimplemented("Link"),
        cancel: unimplemented("Cancel"),
    } as unknown as grpc.UntypedServiceImplementation);
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
        if (err) {
            console.error(`stand-in language host: cannot listen: ${err.message}`);
            process.exit(1);
        }
        // The engine reads the port from the first line of stdout.
        process.stdout.write(`${port}\n`);
    });
}

if (require.main === module) {
    if (process.argv.includes("-version") || process.argv.includes("--version")) {
        console.log(`${sdkVersion}-standin`);
    } else {
        serve(engineAddressFromArgs(process.argv.slice(2)));
    }
}
