import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEYS, ConfigKeySpec } from "../components/config";

interface Declaration { type: string; items?: { type: string }; description?: string; default?: unknown }

describe("Pulumi.yaml", () => {
    const doc = parseYaml(fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8")) as {
        name: string; runtime: { name: string }; stackConfigDir: string; config: Record<string, Declaration>;
    };
    const keys = Object.entries(CONFIG_KEYS as Record<string, ConfigKeySpec>);

    it("is a TypeScript Node.js project reading stacks/", () => {
        assert.strictEqual(doc.name, "aks-platform");
        assert.strictEqual(doc.runtime.name, "nodejs");
        assert.strictEqual(doc.stackConfigDir, "stacks");
    });

    it("declares every required key without a default, and every key with a static default", () => {
        for (const [key, spec] of keys.filter(([, s]) => s.type !== "structured" && (s.required || s.default !== undefined))) {
            const d = doc.config[key];
            assert.ok(d, `Pulumi.yaml does not declare ${key}`);
            assert.strictEqual(d.type, spec.type, key);
            if (spec.type === "array") assert.deepStrictEqual(d.items, { type: "string" }, key);
            assert.ok(d.description?.startsWith(spec.description), key);
            assert.deepStrictEqual(d.default, spec.default, `${key}: Pulumi.yaml default differs from components/config.ts`);
        }
    });

    // The Pulumi CLI (pulumi/pulumi pkg/workspace/config.go, mergeConfig) requires every key declared
    // without `default` or `value` on every stack, before the program runs.
    it("declares no optional key without a default (the CLI would require it on every stack)", () => {
        for (const [key, d] of Object.entries(doc.config)) {
            if ("default" in d || "value" in d) continue;
            const spec = (CONFIG_KEYS as Record<string, ConfigKeySpec>)[key];
            assert.ok(spec?.required, `Pulumi.yaml declares optional key ${key} without a default: the CLI would stop every stack that leaves it unset`);
        }
    });

    it("every stack file sets every key the CLI requires", () => {
        const stacksDir = path.join(__dirname, "..", doc.stackConfigDir);
        const stackFiles = fs.readdirSync(stacksDir).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
        assert.ok(stackFiles.length >= 3, "expected the dev, staging and prod stack files");
        const required = Object.entries(doc.config).filter(([, d]) => !("default" in d) && !("value" in d)).map(([k]) => k);
        for (const f of stackFiles) {
            const stack = (parseYaml(fs.readFileSync(path.join(stacksDir, f), "utf8")) ?? {}) as { config?: Record<string, unknown> };
            const missing = required.filter((k) => !(`${doc.name}:${k}` in (stack.config ?? {})) && !(k in (stack.config ?? {})));
            assert.deepStrictEqual(missing, [], `${f} leaves keys unset that the Pulumi CLI requires`);
        }
    });

    it("is what `npm run docs` generates from the key table (no hand edits drift)", async () => {
        const { withProjectConfig } = await import("../plan/config-docs");
        const text = fs.readFileSync(path.join(__dirname, "..", "Pulumi.yaml"), "utf8");
        assert.strictEqual(withProjectConfig(text), text);
    });

    it("declares nothing the program does not read, and no structured key (Pulumi cannot type objects)", () => {
        for (const key of Object.keys(doc.config)) {
            const spec = (CONFIG_KEYS as Record<string, ConfigKeySpec>)[key];
            assert.ok(spec, `Pulumi.yaml declares unknown key ${key}`);
            assert.notStrictEqual(spec.type, "structured", key);
        }
    });
});

describe("README configuration reference", () => {
    it("matches components/config.ts (run `npm run docs` after changing a key)", async () => {
        const { CONFIG_START_MARKER, CONFIG_END_MARKER, renderConfigTable } = await import("../plan/config-docs");
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const a = readme.indexOf(CONFIG_START_MARKER);
        const b = readme.indexOf(CONFIG_END_MARKER);
        assert.ok(a >= 0 && b > a, "README.md lacks the config markers");
        assert.strictEqual(readme.slice(a + CONFIG_START_MARKER.length, b), renderConfigTable(), "README config table is stale: run `npm run docs`");
        for (const key of Object.keys(CONFIG_KEYS)) assert.ok(readme.includes(`aks-platform:${key}\``), key);
    });
});
