/**
 * Stack configuration: the key table (keys.ts), the validation (parse.ts, rules.ts) and the typed
 * result (types.ts). `loadConfig` reads the stack through Pulumi; everything else is pure.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./keys";
import { parseConfig } from "./parse";
import type { PlatformConfig } from "./types";

export { ENVIRONMENTS, fullKey, KEYS, PROJECT } from "./keys";
export type { Environment, KeyDef, KeyName, MaintenanceWindow } from "./keys";
export { ConfigError, decode, defaultOf, parseConfig } from "./parse";
export type { ConfigProblem, RawConfig } from "./parse";
export type { AppConfig, AppEgressConfig, MonitoringMode, NetworkConfig, NodeOsUpgradeChannel, NodePoolConfig, PlatformConfig, UpgradeChannel } from "./types";

/**
 * Reads the stack's config through Pulumi and validates it. Call once, before any resource.
 * Every `aks-platform:` key the stack sets is passed on, known or not, so a typo is reported
 * instead of silently ignored.
 */
export function loadConfig(): PlatformConfig {
    const raw: Record<string, string> = {};
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        const [ns, key] = fullKey.split(":");
        if (ns === PROJECT && key !== undefined) raw[key] = value;
    }
    return parseConfig(raw, new pulumi.Config("azure-native").get("location"));
}
