/**
 * Runs the real program for a stack under Pulumi mocks and captures every resource the way the
 * engine would hand it to policies: type, name, URN, inputs, parent, dependencies, provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks } from "./mocks";
import { readStackConfig } from "./stack-config";
import { PROJECT } from "../components/config";
import { loadConfig } from "../components/config";
import { createPlatform } from "../components/platform";
import type { PlanResource } from "../policy-pack/plan-resource";

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean | undefined;
    getProvider(): string;
    getDependenciesList(): string[];
    getIgnorechangesList(): string[];
    getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
}
interface RegisterResponse { getUrn(): string }
type Callback = (err: Error | null, resp?: RegisterResponse) => void;
interface MockMonitorLike {
    registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

export interface ProgramRun {
    stack: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
}

export interface RunOptions {
    /** Folder of the stack files. Default: stacks/. */
    stacksDir?: string;
    /** Replace or add config values (full keys, e.g. `aks-platform:environment`) before the run. */
    configOverrides?: Record<string, string | undefined>;
}

/** The runtime's marker key for secret values in serialized properties. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A plain JSON copy with every secret replaced by "[secret]", so no credential reaches out/. */
function plainCopy(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(plainCopy);
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        if (o[SECRET_SIG] === SECRET_VALUE_SIG) return "[secret]";
        // deserializeProperties leaves no undefined values (an unset input is absent), so none is filtered here.
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plainCopy(x)]));
    }
    return v;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the program once. Each run resets the Pulumi runtime (setMocks), so runs are queued:
 * concurrent callers wait their turn.
 */
export function runProgram(stack: string, options: RunOptions = {}): Promise<ProgramRun> {
    const run = queue.then(() => runOnce(stack, options));
    queue = run.catch(() => undefined);
    return run;
}

async function runOnce(stack: string, options: RunOptions): Promise<ProgramRun> {
    const config: Record<string, string> = { ...readStackConfig(stack, options.stacksDir) };
    for (const [k, v] of Object.entries(options.configOverrides ?? {})) {
        if (v === undefined) delete config[k];
        else config[k] = v;
    }
    pulumi.runtime.setAllConfig(config, []);
    // Validate before any resource exists, as index.ts does; a ConfigError propagates as is.
    const platformConfig = loadConfig();

    const mocks = new PlatformMocks();
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);

    const captured: PlanResource[] = [];
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
        original(req, (err, resp) => {
            if (!err && resp) {
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((v, k) => { propertyDependencies[k] = v.getUrnsList(); });
                captured.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: resp.getUrn(),
                    props: req.getCustom() ? (plainCopy(pulumi.runtime.deserializeProperties(req.getObject())) as Record<string, unknown>) : {},
                    parent: req.getParent() || undefined,
                    dependencies: [...new Set(req.getDependenciesList())],
                    propertyDependencies,
                    provider: req.getProvider() || undefined,
                    protect: req.getProtect() === true,
                    ...(req.getIgnorechangesList().length > 0 ? { ignoreChanges: req.getIgnorechangesList() } : {}),
                    custom: req.getCustom(),
                });
            }
            callback(err, resp);
        });

    // The runtime takes a stack trace per promise and per resource (runtime/debuggable.js, the
    // resource's source position); a plan of 500 apps spends seconds on them. Nothing reads them here.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let outputs: Record<string, unknown> | undefined;
    try {
        outputs = await pulumi.runtime.runInPulumiStack(async () => {
            const platform = createPlatform(platformConfig);
            return platform as unknown as Record<string, unknown>;
        });
        await pulumi.runtime.disconnect();
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }

    const plain: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(outputs ?? {})) plain[k] = v;
    const urns = new Set<string>();
    for (const r of captured) {
        if (urns.has(r.urn)) throw new Error(`duplicate URN ${r.urn}: two resources share a type and name`);
        urns.add(r.urn);
    }
    return { stack, resources: captured, outputs: plain };
}
