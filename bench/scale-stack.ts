/**
 * A prod-shaped stack with N generated applications, for the scale benchmark and tests: each app
 * has its own namespace, host one label below the zone, and one egress flow to a database subnet.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { STACKS_DIR, stackFile } from "../plan/stack-config";

export interface GeneratedApp {
    name: string;
    image: string;
    port: number;
    host: string;
    replicas: number;
    egress: { cidr: string; port: number; protocol: "TCP" }[];
}

/** N apps: names app-0001..., distinct hosts, each with a /28 database egress inside 10.31.0.0/16. */
export function generatedApps(n: number): GeneratedApp[] {
    return Array.from({ length: n }, (_, i) => {
        const name = `app-${String(i + 1).padStart(4, "0")}`;
        return {
            name,
            image: `registry.example.com/team/${name}:1.0.${i}`,
            port: 8080,
            host: name,
            replicas: 2,
            egress: [{ cidr: `10.31.${Math.floor(i / 16)}.${(i % 16) * 16}/28`, port: 5432, protocol: "TCP" }],
        };
    });
}

/** The prod stack file with `n` generated apps added (prod's own apps kept). */
export function scaleStackYaml(n: number, base = "prod", dir: string = STACKS_DIR): string {
    const doc = parseYaml(fs.readFileSync(stackFile(base, dir), "utf8")) as { config: Record<string, unknown> };
    const apps = [...((doc.config["aks-platform:apps"] ?? []) as unknown[]), ...generatedApps(n)];
    return toYaml({ config: { ...doc.config, "aks-platform:apps": apps } }, { lineWidth: 0 });
}

/** Writes `Pulumi.<name>.yaml` with n generated apps into `dir`; returns the stack name. */
export function writeScaleStack(dir: string, n: number): string {
    // "prod" in the name: the pack takes a stack's environment from its name when none is configured.
    const name = `prod-scale${n}`;
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), scaleStackYaml(n));
    return name;
}
